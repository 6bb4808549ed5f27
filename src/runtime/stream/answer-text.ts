import type { StepDelta } from '../step-streams';

/**
 * Keeps the answer's text continuous across attempts: a new attempt (a retry or a fallback after
 * the first one streamed) is heard from its start, and what it sends within the characters
 * already delivered is skipped.
 */
export function createAnswerText(deliver: (text: string) => void): (delta: StepDelta) => void {
  let attempt: object | undefined;
  let attemptChars = 0;
  let delivered = 0;
  return (delta) => {
    if (delta.item !== undefined) return;
    if (delta.attempt !== attempt) {
      attempt = delta.attempt;
      attemptChars = 0;
    }
    const { text } = delta;
    const fresh = text.slice(Math.max(0, delivered - attemptChars));
    attemptChars += text.length;
    if (fresh.length === 0) return;
    delivered += fresh.length;
    deliver(fresh);
  };
}
