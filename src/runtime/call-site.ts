import type { LlmStepDefinition, StepNode } from '../chain';
import type { Tally } from './attempt-call';
import type { ResolvedPrompt } from './call-model';
import type { RunState } from './run-state';

/** Where a call belongs. */
export interface CallSite {
  readonly state: RunState;
  readonly step: StepNode;
  readonly definition: LlmStepDefinition;
  readonly prompt: ResolvedPrompt;
  readonly item?: number;
  /** When the step (or map item) started, in run time: `step:first-token` times from here. */
  readonly startMs: number;
  /** Receives every attempt's usage and cost, also when the call fails in the end. */
  readonly tally: Tally;
}

/** What happened along the way, for the step's record. */
export interface Journey {
  retries: number;
  fallbacks: string[];
  hedge?: { model: string; endpoint?: string; won: boolean };
}
