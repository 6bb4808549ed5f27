import type { ChainDefinition } from 'hotpath';
import type { Shape } from './shapes';

/**
 * Checks that each shape is what its description claims, before any figure is reported: the
 * number of model-calling steps and map items, sequential shapes as one chain, and the lattice
 * not series-parallel. Throws on the first mismatch.
 */
export function checkShapes(shapes: readonly Shape[]): void {
  for (const shape of shapes) {
    const definition = shape.build().definition;
    const fail = (what: string) => {
      throw new Error(`bench shape \`${shape.id}\`: ${what}`);
    };
    const llmSteps = definition.steps.filter((step) => step.definition.kind === 'llm');
    if (llmSteps.length !== shape.expected.steps) {
      fail(`${llmSteps.length} model-calling steps, expected ${shape.expected.steps}`);
    }
    const items = definition.steps.reduce((sum, step) => sum + (step.expectItems ?? 0), 0);
    if (items !== shape.expected.mapItems)
      fail(`${items} map items, expected ${shape.expected.mapItems}`);
    // Purely sequential: one call after another, no fan-out.
    const follows = (index: number) => {
      const step = definition.steps[index]!;
      if (index === 0) return step.needs.length === 0;
      return step.needs.length === 1 && step.needs[0] === definition.steps[index - 1]!.id;
    };
    const sequential = definition.steps.every(
      (step, index) => step.kind !== 'map' && follows(index),
    );
    if (sequential !== shape.sequential)
      fail(`sequential is ${sequential}, expected ${shape.sequential}`);
    if (shape.id.startsWith('lattice') && isSeriesParallel(definition))
      fail('it is series-parallel');
  }
}

/**
 * Whether the dependency graph is vertex series-parallel: its transitive reduction has no "N"
 * (a -> c, b -> c, b -> d without a -> d), the forbidden shape of Valdes, Tarjan and Lawler.
 */
export function isSeriesParallel(definition: ChainDefinition): boolean {
  const ids = definition.steps.map((step) => step.id);
  const needs = new Map(definition.steps.map((step) => [step.id, new Set(step.needs)]));
  const reaches = (from: string, to: string): boolean => {
    const stack = [to];
    const seen = new Set<string>();
    while (stack.length > 0) {
      const current = stack.pop()!;
      for (const need of needs.get(current) ?? []) {
        if (need === from) return true;
        if (!seen.has(need)) {
          seen.add(need);
          stack.push(need);
        }
      }
    }
    return false;
  };
  // Transitive reduction: keep a -> c only when no other path leads from a to c.
  const edge = new Set<string>();
  for (const c of ids) {
    for (const a of needs.get(c)!) {
      const other = [...needs.get(c)!].some((b) => b !== a && reaches(a, b));
      if (!other) edge.add(`${a}>${c}`);
    }
  }
  const has = (a: string, c: string) => edge.has(`${a}>${c}`);
  for (const a of ids)
    for (const b of ids)
      for (const c of ids)
        for (const d of ids) {
          if (a === b || c === d) continue;
          if (has(a, c) && has(b, c) && has(b, d) && !has(a, d)) return false;
        }
  return true;
}
