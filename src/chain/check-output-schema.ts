import { InvalidArgumentError } from '../errors';

/** The mark of an AI SDK `Schema` (what `jsonSchema()` and `zodSchema()` return). */
const aiSchemaSymbol = Symbol.for('vercel.ai.schema');

/**
 * Refuses an `output` that the AI SDK's `asSchema` cannot read, as it would at run time: it takes a
 * Standard Schema (zod, valibot, arktype), an AI SDK `Schema`, or a function that returns one.
 */
export function checkOutputSchema(value: unknown): void {
  if (typeof value === 'function') return;
  if (typeof value === 'object' && value !== null) {
    if ('~standard' in value || (value as Record<symbol, unknown>)[aiSchemaSymbol] === true) return;
  }
  throw new InvalidArgumentError({
    argument: 'output',
    expected:
      'a zod (or other Standard Schema) or AI SDK schema (wrap a JSON Schema in `jsonSchema()` from `ai`)',
    value,
  });
}
