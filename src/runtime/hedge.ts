import { linkController } from './abort-link';

/** Why the hedge timer stopped: shared, so no DOMException is made for each race. */
const decided = new Error('the race was decided');

/** Why the slower of two raced calls was stopped. */
export class HedgeLostError extends Error {
  constructor() {
    super('the other call of a hedged pair answered first');
    this.name = 'HedgeLostError';
  }
}

/** Which call of a hedged pair. */
export type HedgeRole = 'primary' | 'hedge';

/** What {@link raceWithHedge} needs. */
export interface HedgeRace<T> {
  /** Starts one call; it must call `onFirstToken` when its first token arrives. */
  start(role: HedgeRole, signal: AbortSignal, onFirstToken: () => void): Promise<T>;
  /** Waits `ms` (on the run's clock); rejects when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  /** No hedge when undefined. */
  afterMs: number | undefined;
  /** Asked when the wait is over: whether a hedge may start now (allowance, a model to use). */
  mayHedge(): boolean;
  onHedgeStart(): void;
  onDecided(winner: HedgeRole, hedged: boolean): void;
  signal: AbortSignal;
}

/**
 * Runs the primary call; if it has no first token after `afterMs`, starts the hedge. The first
 * of the two to produce a token wins and the other is aborted. When one fails before any token,
 * the other may still win; when both fail, the primary's error is the answer.
 */
export function raceWithHedge<T>(race: HedgeRace<T>): Promise<T> {
  const links = { primary: linkController(race.signal), hedge: linkController(race.signal) };
  const controllers = { primary: links.primary.controller, hedge: links.hedge.controller };
  const timerLink = linkController(race.signal);
  const stopTimer = timerLink.controller;
  let winner: HedgeRole | undefined;
  let hedged = false;
  const claim = (role: HedgeRole) => {
    if (winner !== undefined) return;
    winner = role;
    stopTimer.abort(decided);
    controllers[role === 'primary' ? 'hedge' : 'primary'].abort(new HedgeLostError());
    race.onDecided(role, hedged);
  };

  return new Promise<T>((resolve, reject) => {
    const running = new Set<HedgeRole>();
    let primaryError: { error: unknown } | undefined;
    const finish = () => {
      for (const link of [links.primary, links.hedge, timerLink]) link.unlink();
    };
    const launch = (role: HedgeRole) => {
      running.add(role);
      race
        .start(role, controllers[role].signal, () => claim(role))
        .then(
          (value) => {
            claim(role);
            if (winner === role) {
              finish();
              resolve(value);
            }
          },
          (error: unknown) => {
            running.delete(role);
            if (role === 'primary') primaryError = { error };
            if (winner === role || (winner === undefined && running.size === 0)) {
              stopTimer.abort(decided);
              finish();
              reject(winner === role ? error : (primaryError?.error ?? error));
            }
          },
        );
    };
    launch('primary');
    if (race.afterMs === undefined) return;
    race.sleep(race.afterMs, stopTimer.signal).then(
      () => {
        if (winner === undefined && running.has('primary') && race.mayHedge()) {
          hedged = true;
          race.onHedgeStart();
          launch('hedge');
        }
      },
      () => {},
    );
  });
}
