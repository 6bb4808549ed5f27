import type { UIMessageChunk } from 'ai';
import type { StepRecord } from '../../tracing/records';
import type { HotpathStreamEvent, RunOutcome, StepProgress } from './stream-result';

const textId = 'answer';

/**
 * Turns a streamed run's events and answer text into UI message chunks: one `data-step` part per
 * step (same id, so readers update it in place), the answer as one text part, `data-run` last.
 */
export function createUIChunks(answerStep: string, write: (chunk: UIMessageChunk) => void) {
  const steps = new Map<string, StepProgress>();
  let textOpen = false;
  let textDone = false;
  const update = (stepId: string, fields: Partial<StepProgress>) => {
    const next = { ...steps.get(stepId), ...fields } as StepProgress;
    steps.set(stepId, next);
    write({ type: 'data-step', id: stepId, data: next });
  };
  const closeText = () => {
    if (textOpen && !textDone) write({ type: 'text-end', id: textId });
    textDone = true;
  };
  const text = (delta: string) => {
    if (textDone) return;
    if (!textOpen) write({ type: 'text-start', id: textId });
    textOpen = true;
    write({ type: 'text-delta', id: textId, delta });
  };
  write({ type: 'start' });
  return {
    text,
    /**
     * The answer started again with another text: `reset-step` voids the text part sent so far
     * (the AI SDK's signal for a retried step). With no step boundary it removes every part of
     * the message, so each step's part is sent again before the new text.
     */
    restart(answer: string) {
      if (textDone) return;
      write({ type: 'reset-step' });
      for (const [id, data] of steps) write({ type: 'data-step', id, data });
      textOpen = false;
      text(answer);
    },
    event(event: HotpathStreamEvent) {
      if (event.type === 'step:start') {
        const { stepId, item, kind, model, lane, items } = event.payload;
        if (item === undefined)
          update(stepId, { stepId, kind, status: 'running', model, lane, items, itemsDone: 0 });
        else {
          // A pipelined map's items start before the map knows how many there are.
          const known = steps.get(stepId);
          if (known && (known.items ?? 0) <= item) update(stepId, { items: item + 1 });
        }
      } else if (event.type === 'step:end') {
        endStep(event.payload);
      } else if (event.type === 'chain:end') {
        closeText();
        const trace = event.payload;
        const data: RunOutcome = {
          status: trace.status,
          durationMs: trace.durationMs,
          costUsd: trace.costUsd,
          // The trace's: the first token of the call that answered, not of one cut before it.
          answer: { stepId: answerStep, firstTokenMs: trace.answer?.firstTokenMs },
        };
        write({ type: 'data-run', id: 'run', data });
        if (trace.status === 'ok') write({ type: 'finish', finishReason: 'stop' });
      }
    },
  };

  function endStep(record: StepRecord) {
    const known = steps.get(record.stepId);
    if (record.item !== undefined) {
      if (known) update(record.stepId, { itemsDone: (known.itemsDone ?? 0) + 1 });
      return;
    }
    update(record.stepId, {
      stepId: record.stepId,
      kind: record.kind,
      status: record.status,
      model: record.model ?? known?.model,
      items: record.items ?? known?.items,
      durationMs: record.durationMs,
      costUsd: record.costUsd,
      error: record.error,
    });
    if (record.stepId === answerStep) closeText();
  }
}
