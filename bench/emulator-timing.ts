/**
 * How faithful is the emulator's timing? Streams 20 requests per catalog model over HTTP at
 * time scale 1 through the real `@ai-sdk/openai` provider, and prints the measured time to first
 * token and output tokens/s (median, p95) next to the profiles.
 *
 *   npx tsx bench/emulator-timing.ts [requestsPerModel=20] [maxOutputTokens=1000]
 *
 * A model's 20 requests overlap (to save time), started 100 ms apart so that the client's own
 * set-up of 20 calls in one tick does not count as model latency; models run one after another.
 * The output rate counts the tokens after the first chunk over the time from the first chunk to
 * the last, as third-party speed measurements do. "planned" is what the engine scheduled for the
 * same requests (the profile plus seeded jitter), so measured minus planned is the transport.
 */
import { createOpenAI } from '@ai-sdk/openai';
import { streamText } from 'ai';
import { planResponse } from '../src/emulator/engine';
import { startEmulator } from '../src/emulator/node/start-emulator';
import { measurePrompt } from '../src/emulator/prompt-text';
import { catalog } from '../src/models/catalog';
import type { ModelProfile } from '../src/models/profile';
import { countTokens } from '../src/models/tokens';

const requests = Number(process.argv[2] ?? 20);
const maxOutputTokens = Number(process.argv[3] ?? 1000);

const promptOf = (index: number) => `Benchmark request ${index}.`;

async function measure(
  baseURL: string,
  profile: ModelProfile,
  index: number,
  tokens = maxOutputTokens,
) {
  const model = createOpenAI({ baseURL, apiKey: 'bench' }).chat(profile.id);
  const start = performance.now();
  const result = streamText({ model, prompt: promptOf(index), maxOutputTokens: tokens });
  let first: { at: number; text: string } | undefined;
  let last = start;
  for await (const text of result.textStream) {
    last = performance.now();
    first ??= { at: last, text };
  }
  if (first === undefined) throw new Error(`${profile.id}: no output`);
  const usage = await result.usage;
  const decoded = (usage.outputTokens ?? 0) - countTokens(first.text);
  return { ttftMs: first.at - start, tokensPerSecond: decoded / ((last - first.at) / 1000) };
}

/** The first-token time the engine planned for request `index` (as the server reads it). */
function plannedTtftMs(profile: ModelProfile, index: number): number {
  const prompt = measurePrompt([promptOf(index)], 1, 'user');
  const request = { promptText: prompt.text, inputTokens: prompt.tokens, maxOutputTokens };
  return planResponse(profile, request, 1).firstTokenDelayMs;
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Nearest-rank percentile. */
function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const emulator = await startEmulator({ timeScale: 1 });
const rows: string[][] = [];
try {
  for (const profile of Object.values(catalog)) {
    // Warm-up: the client's one-off set-up (module init, JIT) is not model latency.
    for (const index of [-1, -2, -3]) await measure(emulator.baseURL, profile, index, 20);
    const samples = await Promise.all(
      Array.from({ length: requests }, (_, index) =>
        delay(index * 100).then(() => measure(emulator.baseURL, profile, index)),
      ),
    );
    const planned = samples.map((_, index) => plannedTtftMs(profile, index));
    const rates = samples.map((sample) => sample.tokensPerSecond);
    const ttfts = samples.map((sample) => sample.ttftMs);
    const expectedTtft = profile.roundTripMs + profile.timeToFirstTokenMs;
    rows.push([
      profile.id,
      String(profile.outputTokensPerSecond),
      percentile(rates, 50).toFixed(0),
      percentile(rates, 5).toFixed(0),
      percentile(rates, 95).toFixed(0),
      `${profile.timeToFirstTokenMs} (+${profile.roundTripMs} RTT) = ${expectedTtft}`,
      percentile(planned, 50).toFixed(0),
      percentile(planned, 95).toFixed(0),
      percentile(ttfts, 50).toFixed(0),
      percentile(ttfts, 95).toFixed(0),
    ]);
    console.error(`measured ${profile.id}`);
  }
} finally {
  await emulator.close();
}

const header = [
  'model',
  'profile tok/s',
  'median tok/s',
  'p5 tok/s',
  'p95 tok/s',
  'profile TTFT ms',
  'planned median TTFT ms',
  'planned p95 TTFT ms',
  'median TTFT ms',
  'p95 TTFT ms',
];
console.log(
  `${requests} streaming requests per model, time scale 1, up to ${maxOutputTokens} tokens each\n`,
);
console.log(`| ${header.join(' | ')} |`);
console.log(`| ${header.map(() => '---').join(' | ')} |`);
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
