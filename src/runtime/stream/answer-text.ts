import type { StepDelta } from '../step-streams';

/** Where the answer's text goes: what is new, or the whole text of an attempt that differs. */
export interface AnswerTextSink {
  deliver(text: string): void;
  /** An attempt wrote another text than the one delivered: `text` is all of it so far. */
  restart(text: string): void;
}

/**
 * Keeps the answer's text continuous across attempts: a new attempt (a retry or a fallback after
 * the first one streamed) is heard from its start, and what it sends within the characters
 * already delivered is skipped while it agrees with them. An attempt that writes something else
 * (another model, or one that does not repeat itself) restarts the answer with its own text.
 */
export function createAnswerText(sink: AnswerTextSink): (delta: StepDelta) => void {
  // Per attempt: each is heard from its own start. A hedge's loser is not heard: once the
  // winner's first token stops it, its call emits nothing (attempt-call's deltaCallback).
  const texts = new WeakMap<object, string>();
  let delivered = '';
  return (delta) => {
    if (delta.item !== undefined) return;
    const { text } = delta;
    const at = texts.get(delta.attempt) ?? '';
    const attemptText = at + text;
    texts.set(delta.attempt, attemptText);
    const known = delivered.slice(at.length, at.length + text.length);
    if (at.length > delivered.length || !text.startsWith(known)) {
      delivered = attemptText;
      sink.restart(attemptText);
      return;
    }
    const fresh = text.slice(known.length);
    if (fresh.length === 0) return;
    delivered += fresh;
    sink.deliver(fresh);
  };
}
