import {
  type AnyChain,
  claudeHaiku45,
  deepseekFlash,
  gpt5Mini,
  type ModelProfile,
  mercury2,
  type Objective,
} from 'hotpath';
import type { Pin, Shape } from './shapes';

/**
 * How one row of the scheduler tables chooses models. The all-X rows run on a pool of that one
 * model (the plan has no choice); hotpath's rows plan on the whole catalog (what `fromEnv()`
 * gives over the emulator); the naive rule is the same chain with each step's candidates pinned.
 */
export interface Strategy {
  readonly id: string;
  readonly label: string;
  /** The profiles of the pool it plans and runs on. */
  readonly profiles: readonly ModelProfile[];
  readonly pin?: Pin;
  /** The objective; `deadline` is filled in per shape. */
  readonly objective: Objective | 'deadline';
}

export const catalogProfiles = [mercury2, deepseekFlash, claudeHaiku45, gpt5Mini] as const;

export const strategies: readonly Strategy[] = [
  {
    id: 'premium',
    label: 'all-premium (Haiku 4.5)',
    profiles: [claudeHaiku45],
    objective: 'latency',
  },
  { id: 'fast', label: 'all-fast (Mercury 2)', profiles: [mercury2], objective: 'latency' },
  {
    id: 'cheap',
    label: 'all-cheap (DeepSeek V4 Flash)',
    profiles: [deepseekFlash],
    objective: 'cost',
  },
  {
    id: 'naive',
    label: 'naive rule (steps fast, map items cheap)',
    profiles: catalogProfiles,
    pin: (kind) => [kind === 'map' ? deepseekFlash.id : mercury2.id],
    objective: 'balanced',
  },
  { id: 'balanced', label: 'hotpath balanced', profiles: catalogProfiles, objective: 'balanced' },
  { id: 'deadline', label: 'hotpath deadline', profiles: catalogProfiles, objective: 'deadline' },
];

/** The shape's profiles: the catalog's, with the shape's rate limits on every model. */
export function profilesFor(shape: Shape, profiles: readonly ModelProfile[]): ModelProfile[] {
  return profiles.map((profile) =>
    shape.rateLimits ? { ...profile, rateLimits: shape.rateLimits } : profile,
  );
}

/** The chain a strategy runs for a shape. */
export function chainFor(shape: Shape, strategy: Strategy): AnyChain {
  return shape.build(strategy.pin);
}
