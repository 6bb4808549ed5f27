import { HotpathError } from './hotpath-error';

// `name` is the class name; the marker keeps its first spelling, so errors from an older copy
// of hotpath still pass `isInstance`.
const name = 'InvalidInputError';
const marker = 'hotpath.error.HotpathInvalidInputError';
const symbol = Symbol.for(marker);

/** One problem the chain's input schema found: where (`path`) and what (`message`). */
export interface InputIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** The input given to `runtime.run` does not match the chain's input schema. */
export class InvalidInputError extends HotpathError {
  private readonly [symbol] = true;

  readonly chain: string;
  readonly issues: readonly InputIssue[];

  constructor({ chain, issues }: { chain: string; issues: readonly InputIssue[] }) {
    const details = issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`).join('; ');
    super({ name, message: `Invalid input for chain \`${chain}\`: ${details}` });
    this.chain = chain;
    this.issues = issues;
  }

  static override isInstance(error: unknown): error is InvalidInputError {
    return HotpathError.hasMarker(error, marker);
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(input)';
  return `\`${path.map((key) => String(key)).join('.')}\``;
}
