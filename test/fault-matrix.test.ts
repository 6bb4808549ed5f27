import { describe, expect, it } from 'vitest';
import { faultScenarios, runFaultScenario } from './helpers/fault-matrix';

describe('fault matrix over HTTP (emulator on 127.0.0.1, real @ai-sdk/openai provider)', () => {
  for (const scenario of faultScenarios) {
    it(`${scenario.name}: ${scenario.expected}`, async () => {
      const result = await runFaultScenario(scenario);
      expect(result.outcome).toBe(scenario.expected);
      expect(result.trace.status).toBe('ok');
      const record = result.trace.steps[0]!;
      switch (scenario.expected) {
        case 'retry':
          expect(record).toMatchObject({ model: 'mercury-2', attempt: 2, retries: 1 });
          break;
        case 'fallback':
          if (scenario.secondEndpoint) {
            // The same model at its other place, not another model.
            expect(record).toMatchObject({ model: 'mercury-2', endpoint: 'second' });
            expect(record.fallbacks).toEqual(['mercury-2 @ first']);
          } else {
            expect(record.model).not.toBe('mercury-2');
            expect(record.fallbacks).toEqual(['mercury-2']);
          }
          expect(result.events.filter((event) => event.startsWith('retry'))).toHaveLength(2);
          break;
        case 'hedge':
          expect(result.events).toEqual(['hedge started', 'hedge hedge-won']);
          expect(record.hedge).toMatchObject({ won: true });
          if (scenario.secondEndpoint) {
            expect(record).toMatchObject({ model: 'mercury-2', endpoint: 'second' });
            expect(record.hedge).toMatchObject({ model: 'mercury-2', endpoint: 'second' });
          } else expect(record.hedge?.model).not.toBe('mercury-2');
          break;
        default:
          expect(result.events).toEqual([]);
          expect(record).toMatchObject({ model: 'mercury-2', attempt: 1 });
      }
    }, 30_000);
  }
});
