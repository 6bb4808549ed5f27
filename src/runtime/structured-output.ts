import type { FinishReason, FlexibleSchema, LanguageModelUsage } from 'ai';
import { Output } from 'ai';

type ObjectOutput = ReturnType<typeof Output.object>;

// One `Output.object` per schema: its JSON Schema is worked out once, not on every call.
const outputs = new WeakMap<object, ObjectOutput>();

/** The AI SDK's `Output.object` for a step's schema, made once per schema. */
export function objectOutput(schema: FlexibleSchema<unknown>): ObjectOutput {
  let output = outputs.get(schema as object);
  if (output === undefined) {
    output = Output.object({ schema });
    outputs.set(schema as object, output);
  }
  return output;
}

/**
 * Parses and validates a structured step's text as the AI SDK does (`Output.object`'s own parser):
 * a `NoObjectGeneratedError` when the text is not JSON or does not match the schema.
 */
export function parseStructured(
  schema: FlexibleSchema<unknown>,
  text: string,
  context: { modelId: string; usage: LanguageModelUsage; finishReason: FinishReason },
): Promise<unknown> {
  return objectOutput(schema).parseCompleteOutput(
    { text },
    {
      response: { id: '', timestamp: new Date(0), modelId: context.modelId },
      usage: context.usage,
      finishReason: context.finishReason,
    },
  );
}
