/**
 * The random chain of the planning benchmarks (`bench/planning.ts`, `bench/planning-versus.ts`):
 * plain step objects and the emulator's seeded generator, nothing else, so that it can also be
 * bundled on its own beside another commit's scheduler.
 */
import type { ChainDefinition, StepNode } from '../../src/chain';
import { createRandom } from '../../src/emulator/random';

/**
 * A chain shaped like agent workloads: each step needs one to three of the ten steps before it,
 * one in eight is a fan-out of 2-12 items, one in ten plain code.
 */
export function randomChain(steps: number, seed = 1): ChainDefinition {
  const random = createRandom(seed).next;
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const nodes: StepNode[] = [];
  for (let i = 0; i < steps; i++) {
    const needs = new Set<string>();
    if (i > 0)
      for (let k = between(1, 3); k > 0; k--) needs.add(`s${Math.max(0, i - between(1, 10))}`);
    const roll = random();
    const base = { id: `s${i}`, needs: [...needs] };
    if (roll < 0.1) {
      const definition = {
        kind: 'fn' as const,
        run: () => null,
        expect: { durationMs: between(5, 200) },
      };
      nodes.push({ ...base, kind: 'fn', definition });
      continue;
    }
    const expect = { inputTokens: between(200, 4000), outputTokens: between(50, 1500) };
    const definition = { kind: 'llm' as const, prompt: 'x', expect };
    nodes.push(
      roll < 0.225
        ? { ...base, kind: 'map', definition, concurrency: 4, expectItems: between(2, 12) }
        : { ...base, kind: 'llm', definition },
    );
  }
  return { name: `random-${steps}`, input: undefined as never, steps: nodes };
}
