import { startEmulator } from 'hotpath/node';
import { describe, expect, it } from 'vitest';

const streams = 1000;

/** Waits until `ready()` holds, polling; fails after `timeoutMs` so the test stays bounded. */
async function until(ready: () => boolean, timeoutMs: number) {
  const deadline = performance.now() + timeoutMs;
  while (!ready()) {
    if (performance.now() > deadline) throw new Error(`not ready after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const streamBody = (model: string, maxTokens: number) =>
  JSON.stringify({
    model,
    stream: true,
    stream_options: { include_usage: true },
    max_tokens: maxTokens,
    messages: [{ role: 'user', content: 'Say something short.' }],
  });

describe('the emulator under load (loopback, bounded)', () => {
  it(`holds ${streams} concurrent streams, keeps serving, and close() ends them all`, async () => {
    // Every stream stalls before its first token, so all of them are open at once.
    const emulator = await startEmulator({
      timeScale: 100,
      faults: [{ fault: { kind: 'stall', ms: 3_600_000 }, model: 'deepseek-flash' }],
    });
    const url = `${emulator.url}/v1/chat/completions`;
    const ends = Array.from({ length: streams }, () =>
      fetch(url, { method: 'POST', body: streamBody('deepseek-flash', 8) })
        .then((response) => response.text())
        .then(
          (text) => (text.includes('[DONE]') ? 'done' : 'ended'),
          () => 'broken',
        ),
    );
    await until(() => emulator.stats().openStreams === streams, 30_000);
    expect(emulator.stats()).toMatchObject({ inFlight: streams, peakConcurrency: streams });

    // Another model still answers in full while the stalled streams hold their connections.
    const other = await fetch(url, { method: 'POST', body: streamBody('mercury-2', 8) });
    expect(await other.text()).toContain('data: [DONE]');

    const closing = performance.now();
    await emulator.close();
    const outcomes = await Promise.all(ends);
    expect(performance.now() - closing).toBeLessThan(10_000);
    // None finished: each was cut off by close(), none left hanging.
    expect(outcomes.filter((outcome) => outcome === 'done')).toHaveLength(0);
    expect(outcomes).toHaveLength(streams);
    expect(emulator.stats()).toMatchObject({ openStreams: 0, inFlight: 0 });
  }, 60_000);

  it(`answers ${streams} concurrent streams in full, with usage`, async () => {
    const emulator = await startEmulator({ timeScale: 20 });
    try {
      const url = `${emulator.url}/v1/chat/completions`;
      const bodies = await Promise.all(
        Array.from({ length: streams }, () =>
          fetch(url, { method: 'POST', body: streamBody('mercury-2', 12) }).then((response) =>
            response.text(),
          ),
        ),
      );
      for (const body of bodies) {
        expect(body).toMatch(/"usage":\{"prompt_tokens":\d+,"completion_tokens":\d+/);
        expect(body.trimEnd().endsWith('data: [DONE]')).toBe(true);
      }
      const stats = emulator.stats();
      expect(stats).toMatchObject({ requests: streams, inFlight: 0, openStreams: 0 });
      expect(stats.peakConcurrency).toBeGreaterThan(1);
      expect(stats.models['mercury-2']?.outputTokens).toBeGreaterThan(streams * 8);
    } finally {
      await emulator.close();
    }
  }, 60_000);
});
