import { HotpathError } from './hotpath-error';

// `name` is the class name; the marker keeps its first spelling, so errors from an older copy
// of hotpath still pass `isInstance`.
const name = 'ChainDefinitionError';
const marker = 'hotpath.error.HotpathChainDefinitionError';
const symbol = Symbol.for(marker);

/** What is wrong with a chain's definition. */
export type ChainDefinitionErrorReason =
  | 'invalid-step-name'
  | 'duplicate-step'
  | 'unknown-dependency'
  | 'invalid-step'
  | 'invalid-option';

/** A chain was built wrong: a duplicate or reserved step name, an unknown dependency, a bad option. */
export class ChainDefinitionError extends HotpathError {
  private readonly [symbol] = true;

  readonly chain: string;
  readonly stepId: string | undefined;
  readonly reason: ChainDefinitionErrorReason;

  constructor(options: {
    chain: string;
    stepId?: string;
    reason: ChainDefinitionErrorReason;
    message: string;
  }) {
    const where = options.stepId === undefined ? '' : `, step \`${options.stepId}\``;
    super({ name, message: `Chain \`${options.chain}\`${where}: ${options.message}` });
    this.chain = options.chain;
    this.stepId = options.stepId;
    this.reason = options.reason;
  }

  static override isInstance(error: unknown): error is ChainDefinitionError {
    return HotpathError.hasMarker(error, marker);
  }
}
