import type { LanguageModelV4, LanguageModelV4CallOptions } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import { wrapModel } from './wrap-model';

function fakeModel(seen: LanguageModelV4CallOptions[]): LanguageModelV4 {
  return {
    specificationVersion: 'v4',
    provider: 'fake.chat',
    modelId: 'fake',
    supportedUrls: { 'image/*': [/^https:/] },
    doGenerate: async (call) => {
      seen.push(call);
      throw new Error('generated');
    },
    doStream: async (call) => {
      seen.push(call);
      throw new Error('streamed');
    },
  };
}

describe('wrapModel', () => {
  it('loads on the first call, once, and again after a failed load', async () => {
    const seen: LanguageModelV4CallOptions[] = [];
    let loads = 0;
    const model = wrapModel({
      provider: 'fake.chat',
      modelId: 'fake',
      load: async () => {
        loads++;
        if (loads === 1) throw new Error('not yet');
        return fakeModel(seen);
      },
    });
    expect(loads).toBe(0);
    await expect(model.doGenerate({ prompt: [] })).rejects.toThrow('not yet');
    await expect(model.doStream({ prompt: [] })).rejects.toThrow('streamed');
    await expect(model.doGenerate({ prompt: [] })).rejects.toThrow('generated');
    expect(loads).toBe(2);
    expect(await model.supportedUrls).toEqual({ 'image/*': [/^https:/] });
  });

  it('adds default provider options under which a call’s own win', async () => {
    const seen: LanguageModelV4CallOptions[] = [];
    const model = wrapModel({
      provider: 'fake.chat',
      modelId: 'fake',
      load: () => fakeModel(seen),
      providerOptions: { openai: { systemMessageMode: 'system', store: false } },
    });
    const call = (options: Partial<LanguageModelV4CallOptions>) =>
      Promise.resolve(model.doGenerate({ prompt: [], ...options })).catch(() => undefined);
    await call({});
    await call({ providerOptions: { openai: { store: true }, other: { x: 1 } } });
    expect(seen.map((call) => call.providerOptions)).toEqual([
      { openai: { systemMessageMode: 'system', store: false } },
      { openai: { systemMessageMode: 'system', store: true }, other: { x: 1 } },
    ]);
  });
});
