/** An async iterable that is also a web `ReadableStream`, as the AI SDK's streams are. */
export type AsyncIterableStream<T> = ReadableStream<T> & AsyncIterable<T>;

/**
 * A log that one writer appends to and any number of readers read from the start, each at its
 * own pace: the text and events of a streamed run, so that `textStream`, `events` and the UI
 * message stream can all be read, in any order, without losing what came before.
 */
export interface Replay<T> {
  push(value: T): void;
  close(): void;
  fail(error: unknown): void;
  /**
   * Voids what was pushed so far: a reader that handed any of it out fails with `error`; the
   * others, and readers from now on, read only what is pushed next.
   */
  restart(error: unknown): void;
  readonly closed: boolean;
  /** A new reader from the first value; `onCancel` hears its consumer cancel it. */
  read(onCancel?: (reason: unknown) => void): AsyncIterableStream<T>;
}

/** Creates an empty, open log. */
export function createReplay<T>(): Replay<T> {
  let values: T[] = [];
  let generation = 0;
  let voided: unknown;
  let ended: { error?: unknown; failed: boolean } | undefined;
  let wake: (() => void)[] = [];
  const notify = () => {
    const waiting = wake;
    wake = [];
    for (const resolve of waiting) resolve();
  };
  return {
    push(value) {
      if (ended) return;
      values.push(value);
      notify();
    },
    close() {
      if (ended) return;
      ended = { failed: false };
      notify();
    },
    fail(error) {
      if (ended) return;
      ended = { failed: true, error };
      notify();
    },
    restart(error) {
      if (ended) return;
      values = [];
      generation += 1;
      voided = error;
      notify();
    },
    get closed() {
      return ended !== undefined;
    },
    read(onCancel) {
      let next = 0;
      let read = generation;
      const stream = new ReadableStream<T>({
        async pull(controller) {
          while (read === generation && next >= values.length && !ended)
            await new Promise<void>((r) => wake.push(r));
          if (read !== generation) {
            if (next > 0) return controller.error(voided);
            read = generation;
          }
          if (next < values.length) controller.enqueue(values[next++] as T);
          else if (ended?.failed) controller.error(ended.error);
          else controller.close();
        },
        cancel: (reason) => onCancel?.(reason),
      });
      return asIterable(stream);
    },
  };
}

/** Adds async iteration to a stream (not every runtime's `ReadableStream` has it). */
export function asIterable<T>(stream: ReadableStream<T>): AsyncIterableStream<T> {
  const iterable = stream as AsyncIterableStream<T>;
  iterable[Symbol.asyncIterator] = () => {
    const reader = stream.getReader();
    return {
      async next() {
        const { done, value } = await reader.read();
        if (done) reader.releaseLock();
        return done ? { done: true, value: undefined } : { done: false, value };
      },
      async return() {
        await reader.cancel();
        reader.releaseLock();
        return { done: true, value: undefined };
      },
    };
  };
  return iterable;
}
