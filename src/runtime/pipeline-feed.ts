import { parsePartialJson } from 'ai';
import type { RunState } from './run-state';
import type { StepDelta } from './step-streams';

/**
 * What a pipelined map hears of its producer while it streams: the latest partial output of the
 * attempt that streamed last, and when the producer is done. A new attempt (retry, fallback) is
 * heard from its own start: each attempt's JSON text is kept apart.
 */
export interface PipelineFeed {
  readonly producer: string;
  /** The producer's partial output so far (deep-partial: any field may be missing). */
  readonly partial: unknown;
  /** Called after each new partial output. */
  onUpdate: (() => void) | undefined;
  /** Settles when the producer step is done (its output is in the run's outputs) or failed. */
  producerDone?: Promise<void>;
  close(): void;
}

/** Listens to the producer's deltas; call before the producer starts. */
export function openFeed(state: RunState, producer: string): PipelineFeed {
  const texts = new WeakMap<object, string>();
  let current: object | undefined;
  let parsing = false;
  let dirty = false;
  const feed: PipelineFeed = {
    producer,
    partial: undefined,
    onUpdate: undefined,
    close: () => off(),
  };
  // Parsing is async: one parse at a time, and the latest text when it ends.
  const parse = async () => {
    parsing = true;
    while (dirty) {
      dirty = false;
      const attempt = current!;
      const { value } = await parsePartialJson(texts.get(attempt));
      if (attempt !== current && texts.get(current!)?.length) continue;
      if (value !== undefined) {
        (feed as { partial: unknown }).partial = value;
        feed.onUpdate?.();
      }
    }
    parsing = false;
  };
  const off = state.streams!.listen(producer, (delta: StepDelta) => {
    if (delta.item !== undefined) return;
    current = delta.attempt;
    texts.set(delta.attempt, (texts.get(delta.attempt) ?? '') + delta.text);
    dirty = true;
    if (!parsing) void parse();
  });
  return feed;
}
