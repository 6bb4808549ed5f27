import { describe, expect, it } from 'vitest';
import { planResponse } from '../emulator/engine';
import { deepseekFlash, mercury2 } from '../models/catalog';
import { predictCall } from './predict';

describe('predictCall on a prompt partly served from the prefix cache', () => {
  // 12,000 input tokens, 10,000 of them a cached prefix: at deepseek-flash's 8,000 prefill
  // tokens a second, charging the cached part would add 1.25 s to the first token.
  const request = {
    promptText: 'x'.repeat(48_000),
    inputTokens: 12_000,
    cachedInputTokens: 10_000,
    maxOutputTokens: 50,
  };

  it('charges prefill on the uncached input only, as the emulator times the call', () => {
    for (const profile of [deepseekFlash, mercury2]) {
      // The emulator's draw without jitter: the profile's median timing.
      const emulated = planResponse(profile, request, 1, { firstTokenFactor: 1, speedFactor: 1 });
      const predicted = predictCall(profile, { ...request, outputTokens: 50 });
      expect(predicted.firstTokenMs).toBeCloseTo(emulated.firstTokenDelayMs, 6);
    }
  });

  it('still charges the whole input when nothing is cached', () => {
    const uncached = predictCall(deepseekFlash, { inputTokens: 12_000, outputTokens: 50 });
    const cached = predictCall(deepseekFlash, { ...request, outputTokens: 50 });
    expect(uncached.firstTokenMs - cached.firstTokenMs).toBeCloseTo(1250, 6);
  });
});
