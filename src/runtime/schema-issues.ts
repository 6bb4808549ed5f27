/** One way an answer broke its step's `output` schema. */
interface SchemaIssue {
  readonly path?: readonly unknown[];
  readonly message: string;
}

/**
 * The schema issues behind an output-validation failure, as `queries.2: Expected string`, so
 * the step's error says why without digging through `cause.cause`. The AI SDK wraps them:
 * `NoObjectGeneratedError` → `TypeValidationError` → the schema's error (zod's `issues`, or a
 * Standard Schema result's). An answer that is not JSON at all has no issues: `undefined`.
 */
export function describeSchemaIssues(error: unknown, limit = 5): string | undefined {
  const issues = findIssues(error);
  if (issues === undefined || issues.length === 0) return undefined;
  const shown = issues.slice(0, limit).map((issue) => {
    const path = (issue.path ?? []).map((key) => pathKey(key)).join('.');
    return path === '' ? issue.message : `\`${path}\`: ${issue.message}`;
  });
  const more = issues.length > limit ? `; and ${issues.length - limit} more` : '';
  return `${shown.join('; ')}${more}`;
}

function findIssues(error: unknown): readonly SchemaIssue[] | undefined {
  let current = error;
  for (let depth = 0; depth < 6 && current != null && typeof current === 'object'; depth++) {
    const issues = (current as { issues?: unknown }).issues;
    if (Array.isArray(issues) && issues.every(isIssue)) return issues;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function isIssue(value: unknown): value is SchemaIssue {
  return (
    value != null && typeof value === 'object' && typeof (value as SchemaIssue).message === 'string'
  );
}

function pathKey(key: unknown): string {
  // Standard Schema allows `{ key }` path segments besides plain keys.
  const plain = key != null && typeof key === 'object' && 'key' in key ? key.key : key;
  return String(plain);
}

/** A StepError's message for an answer that failed validation: the issues when there are. */
export function validationMessage(error: unknown): string {
  const issues = describeSchemaIssues(error);
  if (issues !== undefined) return `the answer breaks the step's \`output\` schema: ${issues}`;
  return error instanceof Error ? error.message : String(error);
}
