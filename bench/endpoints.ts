/**
 * One model at two places over HTTP: the sequential shape (`sequential-10`, 10 calls of ~500
 * tokens) on mercury-2 at an endpoint 250 ms away alone, against the same endpoint plus one 30 ms
 * away, which the runtime measures and then prefers. Two emulators play the places
 * (`startEmulator({ roundTripMs })`); a first run warms connections and code, then each setting
 * runs with a fresh runtime (nothing measured) `repeats` times, interleaved. Medians.
 *
 * `npx tsx bench/endpoints.ts --write` runs this and the fault matrix and rewrites those two
 * sections of `bench/results.md` in place; `npm run bench` includes both.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createOpenAI } from '@ai-sdk/openai';
import { createModelPool, createRuntime, createSystemClock, defineModel, mercury2 } from 'hotpath';
import { type Emulator, startEmulator } from 'hotpath/node';
import { benchFaults, faultTimeScale } from './faults';
import { median, seconds, signedPercent } from './lib/stats';
import { type BenchRow, formatMarkdownTable } from './lib/table';
import { shapes } from './scheduler/shapes';

/** Emulated ms per real ms. */
export const endpointsTimeScale = 10;

function poolOf(places: readonly [string, Emulator][]) {
  const entries = places.map(([endpoint, emulator]) =>
    defineModel(
      createOpenAI({ baseURL: emulator.baseURL, apiKey: 'hotpath' }).chat('mercury-2'),
      mercury2,
      { endpoint, region: endpoint },
    ),
  );
  return createModelPool(entries, { clock: createSystemClock({ timeScale: endpointsTimeScale }) });
}

export async function benchEndpoints(repeats = 3): Promise<BenchRow[]> {
  const shape = shapes.find((candidate) => candidate.id === 'sequential-10')!;
  const sequence = shape.build();
  const near = await startEmulator({ roundTripMs: 30, timeScale: endpointsTimeScale });
  const far = await startEmulator({ roundTripMs: 250, timeScale: endpointsTimeScale });
  try {
    const settings = {
      'far alone (250 ms)': poolOf([['far', far]]),
      'far + near (250 ms, 30 ms)': poolOf([
        ['far', far],
        ['near', near],
      ]),
    };
    const run = (pool: (typeof settings)[keyof typeof settings]) =>
      createRuntime({ models: pool, hedge: false }).run(sequence, shape.input);
    await run(settings['far + near (250 ms, 30 ms)']);
    const measured = new Map<string, { ms: number[]; near: number[]; usd: number[] }>();
    for (let i = 0; i < repeats; i++) {
      for (const [name, pool] of Object.entries(settings)) {
        const { trace } = await run(pool);
        const seen = measured.get(name) ?? { ms: [], near: [], usd: [] };
        seen.ms.push(trace.durationMs);
        seen.near.push(trace.steps.filter((step) => step.endpoint === 'near').length);
        seen.usd.push(trace.costUsd);
        measured.set(name, seen);
      }
    }
    const base = median(measured.get('far alone (250 ms)')!.ms);
    return [...measured].map(([name, seen]) => ({
      setting: name,
      'calls at the near endpoint': `${median(seen.near)} of 10`,
      makespan: seconds(median(seen.ms)),
      'saved against far alone': `${seconds(base - median(seen.ms))} (${signedPercent(median(seen.ms) / base - 1, 0)})`,
      cost: `$${median(seen.usd).toFixed(6)}`,
    }));
  } finally {
    await Promise.all([near.close(), far.close()]);
  }
}

export const endpointsIntro = `The \`sequential-10\` shape on mercury-2 over HTTP at time scale ${endpointsTimeScale}: one endpoint 250 ms away alone, against the same plus one 30 ms away (two emulators, \`startEmulator({ roundTripMs })\`). Each run starts with nothing measured: the runtime tries each place once, then sends every call to the nearer one. Goal: about 2 s shorter (9 calls x 220 ms). Medians of interleaved runs after a warm-up run.`;

export const faultsIntro = `Each scenario of \`test/helpers/fault-matrix.ts\`: one \`answer\` step (400 tokens max) planned on mercury-2, the fault injected into its first request (every request for the outage), over HTTP at time scale ${faultTimeScale}, hedging after 3 s. The "second endpoint" rows give mercury-2 a second place (another emulator, without the fault): the runtime answers there, on the same model, instead of on Claude Haiku 4.5 (goal: extra cost <= 100%). Extra latency and cost are against the clean run.`;

/**
 * Replaces the section titled `title` of `markdown` (up to the next `## ` or `<!--`); a missing
 * one goes after the section titled `after`, else at the end.
 */
function replaceSection(markdown: string, title: string, body: string, after?: string): string {
  const text = `## ${title}\n\n${body}\n`;
  const endOf = (from: number) => {
    const ends = ['\n## ', '\n<!--']
      .map((mark) => markdown.indexOf(mark, from + 3))
      .filter((at) => at >= 0);
    return ends.length === 0 ? markdown.length : Math.min(...ends) + 1;
  };
  let start = markdown.indexOf(`## ${title}\n`);
  let end = start < 0 ? -1 : endOf(start);
  if (start < 0) {
    const anchor = after === undefined ? -1 : markdown.indexOf(`## ${after}\n`);
    start = end = anchor < 0 ? markdown.length : endOf(anchor);
  }
  const rest = markdown.slice(end).replace(/^\n+/, '');
  return `${markdown.slice(0, start).trimEnd()}\n\n${text}${rest ? `\n${rest}` : ''}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const faults = `${faultsIntro}\n\n${formatMarkdownTable(await benchFaults())}`;
  console.log(faults);
  const endpoints = `${endpointsIntro}\n\n${formatMarkdownTable(await benchEndpoints())}`;
  console.log(endpoints);
  if (process.argv.includes('--write')) {
    const path = new URL('./results.md', import.meta.url);
    let markdown = existsSync(path) ? readFileSync(path, 'utf8') : '';
    markdown = replaceSection(markdown, 'Fault matrix over HTTP', faults);
    markdown = replaceSection(
      markdown,
      'Endpoints: round trips on the sequential shape',
      endpoints,
      'Fault matrix over HTTP',
    );
    writeFileSync(path, markdown);
  }
}
