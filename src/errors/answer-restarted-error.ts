import { HotpathError } from './hotpath-error';

const name = 'AnswerRestartedError';
const marker = 'hotpath.error.AnswerRestartedError';
const symbol = Symbol.for(marker);

/**
 * A streamed answer was tried again after some of it had been delivered, and the new attempt (a
 * fallback to another model, or a model that does not repeat itself) wrote another text: what was
 * read from `textStream` is not the start of the answer. The run goes on; `output` and a
 * `textStream` read afresh give the answer as it ends.
 */
export class AnswerRestartedError extends HotpathError {
  private readonly [symbol] = true;

  readonly chain: string;
  readonly stepId: string;
  /** How many characters of the abandoned text had been delivered. */
  readonly deliveredChars: number;

  constructor({
    chain,
    stepId,
    deliveredChars,
  }: {
    chain: string;
    stepId: string;
    deliveredChars: number;
  }) {
    super({
      name,
      message: `The answer of step \`${stepId}\` of chain \`${chain}\` was started again after ${deliveredChars} characters had been delivered, with another text: read it again from the start`,
    });
    this.chain = chain;
    this.stepId = stepId;
    this.deliveredChars = deliveredChars;
  }

  static override isInstance(error: unknown): error is AnswerRestartedError {
    return HotpathError.hasMarker(error, marker);
  }
}
