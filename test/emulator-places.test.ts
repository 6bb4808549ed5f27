import { startEmulator } from 'hotpath/node';
import { describe, expect, it } from 'vitest';

/** Milliseconds from sending a streamed chat request to its headers, and to its first chunk. */
async function timeOf(baseURL: string): Promise<{ headersMs: number; firstMs: number }> {
  const started = performance.now();
  const response = await fetch(`${baseURL}/chat/completions`, {
    method: 'POST',
    body: JSON.stringify({
      model: 'mercury-2',
      stream: true,
      max_tokens: 5,
      messages: [{ role: 'user', content: 'hi' }],
    }),
  });
  const headersMs = performance.now() - started;
  const reader = response.body!.getReader();
  await reader.read();
  const firstMs = performance.now() - started;
  await reader.cancel();
  return { headersMs, firstMs };
}

describe('the emulator plays places: roundTripMs', () => {
  it('waits the round trip before the headers, on the emulator’s clock', async () => {
    // At 2x, 400 ms of round trip is 200 ms of real time before the headers.
    const near = await startEmulator({ roundTripMs: 0, timeScale: 2 });
    const far = await startEmulator({ roundTripMs: 400, timeScale: 2 });
    try {
      // The first request of a process pays for its connection and code loading: warm up first.
      await Promise.all([timeOf(near.baseURL), timeOf(far.baseURL)]);
      const close = await timeOf(near.baseURL);
      const away = await timeOf(far.baseURL);
      expect(away.headersMs).toBeGreaterThanOrEqual(195);
      expect(away.headersMs - close.headersMs).toBeGreaterThan(100);
      // The first token comes after the headers: the place's distance adds to it as well.
      expect(away.firstMs).toBeGreaterThan(away.headersMs);
      expect(away.firstMs - close.firstMs).toBeGreaterThan(100);
    } finally {
      await Promise.all([near.close(), far.close()]);
    }
  }, 30_000);

  it('refuses a negative round trip, naming the option', async () => {
    await expect(startEmulator({ roundTripMs: -1 })).rejects.toThrow(
      /Expected `roundTripMs` to be a number of milliseconds from 0 up, got `-1`/,
    );
  });
});
