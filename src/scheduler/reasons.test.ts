import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatSeconds } from './explain';
import type { Objective, Plan } from './plan';
import { planChain } from './plan-chain';
import { instanceArbitrary } from './test-chains';

/** Every `N.NN s of slack` or `N.NN s left` in a reason, beside the slack column it explains. */
function slackClaims(plan: Plan): { step: string; said: string; column: string }[] {
  return plan.steps.flatMap((step) =>
    [...step.reason.matchAll(/(\d+\.\d+ s) (?:of slack|left)/g)].map((match) => ({
      step: step.stepId,
      said: match[1]!,
      column: formatSeconds(step.slackMs),
    })),
  );
}

describe('plan.explain() reasons', () => {
  it('state the slack the slack column shows, for every step of random chains', () => {
    const objectives: Objective[] = ['balanced', 'latency', 'cost'];
    let claims = 0;
    fc.assert(
      fc.property(
        instanceArbitrary(6, 3),
        fc.constantFrom(...objectives),
        ({ chain, pool }, objective) => {
          const plan = planChain({ chain, pool, objective });
          for (const claim of slackClaims(plan)) {
            claims++;
            expect(claim.said, `${claim.step}: ${plan.step(claim.step)!.reason}`).toBe(
              claim.column,
            );
          }
        },
      ),
      { numRuns: 300, seed: 11 },
    );
    // The property is about something: the random chains do make reasons that state slack.
    expect(claims).toBeGreaterThan(10);
  });

  it('under a deadline, speak of the time to the deadline, not of the slack column', () => {
    fc.assert(
      fc.property(
        instanceArbitrary(6, 3),
        fc.double({ min: 1.05, max: 3, noNaN: true }),
        ({ chain, pool }, stretch) => {
          const fastest = planChain({ chain, pool, objective: 'latency' });
          const plan = planChain({
            chain,
            pool,
            objective: { deadlineMs: fastest.durationMs * stretch },
          });
          for (const step of plan.steps) expect(step.reason).not.toMatch(/slack/);
        },
      ),
      { numRuns: 100, seed: 12 },
    );
  });
});
