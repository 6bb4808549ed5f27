/**
 * The hit-rate section on its own: `npx tsx bench/truth/confidence-section.ts` prints it, and
 * with `--write` puts it into `bench/results.md` in place of the section `npm run bench` wrote
 * (after the other truth-world sections when there is none yet), with the date and load of this
 * run, so the section can be re-taken without running the whole bench.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { formatMarkdownTable } from '../lib/table';
import { shapes } from '../scheduler/shapes';
import {
  benchConfidenceSection,
  confidenceIntro,
  confidenceRows,
  confidenceTitle,
} from './confidence';

const started = performance.now();
const cpu = process.cpuUsage();
const results = await benchConfidenceSection(shapes);
const used = process.cpuUsage(cpu);
const load = loadavg().map((value) => value.toFixed(1));
const taken = `Taken alone with \`npx tsx bench/truth/confidence-section.ts --write\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, load ${load.join(' / ')} (1 / 5 / 15 min), ${((performance.now() - started) / 1000).toFixed(0)} s wall, ${((used.user + used.system) / 1e6).toFixed(0)} s CPU.`;
const text = `## ${confidenceTitle}\n\n${confidenceIntro(results)}\n\n${taken}\n\n${formatMarkdownTable(confidenceRows(results))}\n`;
console.log(text);
if (process.argv.includes('--write')) {
  const path = new URL('../results.md', import.meta.url);
  const previous = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const at = previous.indexOf(`## ${confidenceTitle}`);
  let next: string;
  if (at >= 0) {
    const end = previous.indexOf('\n## ', at + 3);
    const stop = previous.indexOf('\n<!--', at);
    const cut = [end, stop].filter((i) => i >= 0).reduce((a, b) => Math.min(a, b), previous.length);
    next = `${previous.slice(0, at)}${text}${previous.slice(cut)}`;
  } else {
    // Before the peers' and workers' kept sections, after the other truth-world ones.
    const kept = previous.indexOf('<!-- peers:start -->');
    const cut = kept >= 0 ? kept : previous.length;
    next = `${previous.slice(0, cut).trimEnd()}\n\n${text}\n${previous.slice(cut)}`;
  }
  writeFileSync(path, next);
}
