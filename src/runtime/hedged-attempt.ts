import { entryKey, type PoolModel } from '../models/pool';
import { type AttemptResult, attemptCall, type Tally, worstCaseCost } from './attempt-call';
import type { ResolvedPrompt } from './call-model';
import type { CallSite, Journey } from './call-site';
import { raceWithHedge } from './hedge';
import { hedgeDelayMs } from './hedge-delay';
import { elapsed } from './run-state';

/**
 * One attempt on `entry`. A critical step on the fast lane is raced against the next model
 * whose circuit is closed when no first token has come after the model's high-percentile
 * first-token time ({@link hedgeDelayMs}: the learned p90, else a guess from the profile),
 * within the hedge allowance; anything else is a plain attempt.
 */
export function attemptWithHedge(
  site: CallSite,
  entry: PoolModel,
  models: readonly PoolModel[],
  prompt: ResolvedPrompt,
  tally: Tally,
  journey: Journey,
): Promise<AttemptResult> {
  const { state, step, definition } = site;
  // Once per attempt, a hedged pair's as one: an attempt after a call cut mid-stream sends it
  // again, so the last one sent is the answering call's, as the step's record and the trace have.
  let firstSeen = false;
  const onFirstToken = (model: string) => (atMs: number) => {
    if (firstSeen) return;
    firstSeen = true;
    if (!state.hub.has('step:first-token')) return;
    state.hub.emit('step:first-token', {
      runId: state.runId,
      stepId: step.id,
      item: site.item,
      model,
      atMs,
      // From the step's start, as its record's: the waits and failed calls before count.
      timeToFirstTokenMs: atMs - site.startMs,
    });
  };
  const attempt = (target: PoolModel, signal: AbortSignal, hedge = false, onFirst?: () => void) =>
    attemptCall({
      state,
      stepId: step.id,
      item: site.item,
      definition,
      prompt,
      entry: target,
      signal,
      hedge,
      tally,
      onFirstToken: (atMs) => {
        onFirst?.();
        onFirstToken(target.id)(atMs);
      },
    });

  const planned = state.plan.step(step.id);
  // Another endpoint of the same model first: the same answer at the same quality, elsewhere.
  const usable = (other: PoolModel) =>
    other !== entry && state.breakerFor(entryKey(other)).state !== 'open';
  const hedgeEntry =
    models.find((other) => other.id === entry.id && usable(other)) ??
    models.find((other) => other.id !== entry.id && usable(other));
  const eligible =
    state.resilience.hedge.enabled &&
    definition.hedge !== false &&
    step.kind !== 'map' &&
    planned?.critical === true &&
    planned.lane === 'fast' &&
    hedgeEntry !== undefined;
  if (!eligible) return attempt(entry, state.controller.signal);

  const afterMs =
    state.resilience.hedge.afterMs ?? hedgeDelayMs(entry, prompt.inputTokens, state.history);
  const hedgeEvent = (outcome: 'started' | 'hedge-won' | 'primary-won') =>
    state.hub.emit('step:hedge', {
      runId: state.runId,
      stepId: step.id,
      item: site.item,
      primary: entry.id,
      hedge: hedgeEntry.id,
      ...(entry.endpoint !== undefined && { primaryEndpoint: entry.endpoint }),
      ...(hedgeEntry.endpoint !== undefined && { hedgeEndpoint: hedgeEntry.endpoint }),
      outcome,
      atMs: elapsed(state),
    });
  return raceWithHedge({
    start: (role, signal, onFirst) =>
      role === 'primary'
        ? attempt(entry, signal, false, onFirst)
        : attempt(hedgeEntry, signal, true, onFirst),
    sleep: (ms, signal) => state.clock.sleep(ms, signal),
    afterMs,
    // A hedge starts only when its worst case fits both the hedge allowance and the budget.
    mayHedge: () => {
      const worst = worstCaseCost(state, hedgeEntry, prompt, definition);
      return state.hedgeBudget.fits(worst) && state.budget.fits(worst);
    },
    onHedgeStart: () => hedgeEvent('started'),
    onDecided: (winner, hedged) => {
      if (!hedged) return;
      journey.hedge = {
        model: hedgeEntry.id,
        ...(hedgeEntry.endpoint !== undefined && { endpoint: hedgeEntry.endpoint }),
        won: winner === 'hedge',
      };
      hedgeEvent(winner === 'hedge' ? 'hedge-won' : 'primary-won');
    },
    signal: state.controller.signal,
  });
}
