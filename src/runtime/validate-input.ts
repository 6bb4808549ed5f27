import type { StandardSchemaV1 } from '../chain';
import { InvalidInputError } from '../errors';

/** Validates the chain input against its schema; throws `InvalidInputError` naming each field. */
export async function validateInput(
  chain: string,
  schema: StandardSchemaV1,
  input: unknown,
): Promise<unknown> {
  const result = await schema['~standard'].validate(input);
  if (result.issues === undefined) return result.value;
  throw new InvalidInputError({
    chain,
    issues: result.issues.map((issue) => ({
      message: issue.message,
      path: (issue.path ?? []).map((segment) =>
        typeof segment === 'object' && segment !== null ? segment.key : segment,
      ),
    })),
  });
}
