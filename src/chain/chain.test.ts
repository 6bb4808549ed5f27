import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ChainDefinitionError } from '../errors';
import { chain } from './chain';
import { fn } from './fn';
import { llm } from './llm';

const base = chain('demo', { input: z.object({ topic: z.string() }) });

function definitionError(build: () => unknown): ChainDefinitionError {
  try {
    build();
  } catch (error) {
    if (ChainDefinitionError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a ChainDefinitionError');
}

describe('chain builder', () => {
  it('is immutable: every call returns a new chain', () => {
    const one = base.step(
      'a',
      fn(() => 1),
    );
    const two = one.step(
      'b',
      fn(() => 2),
    );
    expect(base.definition.steps).toHaveLength(0);
    expect(one.definition.steps.map((step) => step.id)).toEqual(['a']);
    expect(two.definition.steps.map((step) => step.id)).toEqual(['a', 'b']);
  });

  it('makes a step wait for every earlier step unless told otherwise', () => {
    const built = base
      .step(
        'a',
        fn(() => 1),
      )
      .parallel({ b: fn(() => 2), c: fn(() => 3) })
      .step(
        'd',
        { needs: ['b'] },
        fn(({ b }) => b),
      )
      .map(
        'e',
        ({ a }) => [a],
        fn((n: number) => n),
        { needs: ['a'] },
      )
      .step(
        'f',
        fn(() => 0),
      );
    const needs = Object.fromEntries(built.definition.steps.map((step) => [step.id, step.needs]));
    expect(needs).toEqual({
      a: [],
      b: ['a'],
      c: ['a'],
      d: ['b'],
      e: ['a'],
      // `f` waits for the steps nothing else waits for; the others are done before those.
      f: ['c', 'd', 'e'],
    });
    const readsAll = built.definition.steps.filter((step) => step.readsAll).map((step) => step.id);
    expect(readsAll).toEqual(['a', 'b', 'c', 'f']);
  });

  it('rejects a duplicate step name, naming the chain and the step', () => {
    const error = definitionError(() =>
      (
        base.step(
          'a',
          fn(() => 1),
        ) as any
      ).step(
        'a',
        fn(() => 2),
      ),
    );
    expect(error.reason).toBe('duplicate-step');
    expect(error.stepId).toBe('a');
    expect(error.message).toBe('Chain `demo`, step `a`: a step with this name already exists');
  });

  it('rejects a duplicate name inside parallel', () => {
    const error = definitionError(() =>
      (
        base.step(
          'a',
          fn(() => 1),
        ) as any
      ).parallel({ b: fn(() => 1), a: fn(() => 2) }),
    );
    expect(error.reason).toBe('duplicate-step');
  });

  it('ends at `.returns`: the result holds the definition and no builder methods', () => {
    const done = base
      .step(
        'a',
        fn(() => 1),
      )
      .returns(({ a }) => a + 1);
    expect(done.definition.steps.map((step) => step.id)).toEqual(['a']);
    expect(typeof done.definition.returns).toBe('function');
    for (const method of ['step', 'parallel', 'map', 'returns']) {
      expect((done as unknown as Record<string, unknown>)[method]).toBeUndefined();
    }
  });

  it('rejects needs that are not earlier steps and lists the known ones', () => {
    const error = definitionError(() =>
      (
        base.step(
          'a',
          fn(() => 1),
        ) as any
      ).step(
        'b',
        { needs: ['plan'] },
        fn(() => 2),
      ),
    );
    expect(error.reason).toBe('unknown-dependency');
    expect(error.message).toContain(
      'needs `plan`, which is not an earlier step (earlier steps: `a`)',
    );
  });

  it('rejects the reserved name `input` and malformed names', () => {
    expect(
      definitionError(() =>
        (base as any).step(
          'input',
          fn(() => 1),
        ),
      ).reason,
    ).toBe('invalid-step-name');
    expect(
      definitionError(() =>
        (base as any).step(
          'has space',
          fn(() => 1),
        ),
      ).reason,
    ).toBe('invalid-step-name');
  });

  it('rejects a step that is not a step definition, and an llm step without a prompt', () => {
    expect(definitionError(() => (base as any).step('a', { run: () => 1 })).reason).toBe(
      'invalid-step',
    );
    expect(definitionError(() => base.step('a', llm({} as any))).message).toContain(
      'needs a `prompt` or `messages`',
    );
  });

  it('checks map options in p-queue’s voice, as errors of the step', () => {
    const concurrency = definitionError(() =>
      base.map(
        'm',
        () => [1],
        fn((n: number) => n),
        { concurrency: 0 },
      ),
    );
    expect(concurrency).toMatchObject({ reason: 'invalid-option', stepId: 'm' });
    expect(concurrency.message).toBe(
      'Chain `demo`, step `m`: Expected `concurrency` to be a whole number from 1 up, got `0` (number)',
    );
    const items = definitionError(() =>
      base.map(
        'm',
        () => [1],
        fn((n: number) => n),
        { expect: { items: 1.5 } },
      ),
    );
    expect(items).toMatchObject({ reason: 'invalid-option', stepId: 'm' });
    expect(items.message).toContain('Expected `expect.items` to be a whole number from 0 up');
  });

  it('requires a schema for the input', () => {
    expect(() => chain('x', { input: {} as any })).toThrow(/Standard Schema/);
  });
});
