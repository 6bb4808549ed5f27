import type { RunTrace } from '../tracing/records';
import { HotpathError } from './hotpath-error';

// `name` is the class name; the marker keeps its first spelling, so errors from an older copy
// of hotpath still pass `isInstance`.
const name = 'RunAbortedError';
const marker = 'hotpath.error.HotpathRunAbortedError';
const symbol = Symbol.for(marker);

/** The caller aborted a run; `trace` holds what finished (and what was stopped) before that. */
export class RunAbortedError extends HotpathError {
  private readonly [symbol] = true;

  readonly chain: string;
  readonly trace: RunTrace;

  constructor({ chain, trace, cause }: { chain: string; trace: RunTrace; cause?: unknown }) {
    const why =
      cause instanceof Error
        ? `: ${cause.message}`
        : cause === undefined
          ? ''
          : `: ${String(cause)}`;
    super({ name, message: `Run of chain \`${chain}\` was aborted${why}`, cause });
    this.chain = chain;
    this.trace = trace;
  }

  static override isInstance(error: unknown): error is RunAbortedError {
    return HotpathError.hasMarker(error, marker);
  }
}
