/** A piece of text one attempt of a step (or of one map item) has just streamed. */
export interface StepDelta {
  readonly stepId: string;
  readonly item?: number;
  /** The same object for every delta of one model call: a new one means a new attempt began. */
  readonly attempt: object;
  readonly text: string;
}

/** Hears the deltas of one step. */
export type DeltaListener = (delta: StepDelta) => void;

/**
 * Who listens to which step's text while it streams (the answer of a streamed run, the producer
 * of a pipelined map). A run without listeners has none of this: calls pass no delta callback.
 */
export interface StepStreams {
  has(stepId: string): boolean;
  listen(stepId: string, listener: DeltaListener): () => void;
  emit(delta: StepDelta): void;
}

/** Creates an empty registry. */
export function createStepStreams(): StepStreams {
  const listeners = new Map<string, Set<DeltaListener>>();
  return {
    has: (stepId) => (listeners.get(stepId)?.size ?? 0) > 0,
    listen(stepId, listener) {
      const set = listeners.get(stepId) ?? new Set<DeltaListener>();
      listeners.set(stepId, set);
      set.add(listener);
      return () => set.delete(listener);
    },
    emit(delta) {
      const set = listeners.get(delta.stepId);
      if (set) for (const listener of set) listener(delta);
    },
  };
}
