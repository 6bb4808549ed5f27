import { type Clock, createVirtualClock } from 'hotpath';

/**
 * hotpath's virtual clock, with every sleep at least 1 ns. The runtime's rate-limit bucket can
 * ask for a wait shorter than the clock's floating-point resolution (a level of 0.999...9 of 1
 * request at 120/min asks ~5e-13 ms at t=16 s); on the plain virtual clock that sleep never
 * moves time and the run spins forever. Reported to the runtime's owner; this keeps the bench
 * running meanwhile.
 */
export function createBenchClock(): Clock {
  const inner = createVirtualClock();
  return {
    now: inner.now,
    sleep: (ms, signal) => inner.sleep(Math.max(ms, 1e-6), signal),
  };
}
