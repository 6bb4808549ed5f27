import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRuntime, createVirtualClock, models } from 'hotpath';
import { jsonlExporter } from 'hotpath/node';
import { chromium } from 'playwright-core';
import { describe, expect, it, vi } from 'vitest';
import { research } from '../examples/research';
import { trace as traceCommand } from '../src/cli/commands/trace';

const executablePath = '/usr/bin/chromium';
const available = existsSync(executablePath);
// In CI the browser is installed by .ci/run: a missing one there is a failure, not a skip.
const run = available || process.env.CI === 'true' ? it : it.skip;
if (!available && process.env.CI !== 'true') {
  console.warn('tracing-html: skipped, /usr/bin/chromium is absent (apt-get install -y chromium)');
}

async function writeReport() {
  const dir = mkdtempSync(join(tmpdir(), 'hotpath-html-'));
  const log = jsonlExporter({ path: join(dir, 'traces.jsonl') });
  const runtime = createRuntime({
    models: models.emulated({ clock: createVirtualClock() }),
    exporters: [log],
  });
  const { trace } = await runtime.run(research, { question: 'Why are diffusion LLMs fast?' });
  await log.flush!();
  const out = join(dir, 'report.html');
  vi.spyOn(console, 'log').mockImplementation(() => {});
  expect(await traceCommand.run([join(dir, 'traces.jsonl'), '--html', out])).toBe(0);
  vi.restoreAllMocks();
  return { out, trace, dir };
}

describe('HTML report', () => {
  it('is one file with nothing to fetch', async () => {
    const { out } = await writeReport();
    const html = readFileSync(out, 'utf8');
    expect(html).not.toMatch(/<link|<script[^>]+src=|@import|url\(|https?:\/\//);
    expect(statSync(out).size).toBeLessThan(100_000);
  });

  run(
    'opens in headless Chromium with one bar per step, in start order',
    async () => {
      const { out, trace, dir } = await writeReport();
      const browser = await chromium.launch({
        executablePath,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-quic',
          '--no-first-run',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
      try {
        const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
        const errors: string[] = [];
        const requests: string[] = [];
        page.on('console', (message) => {
          if (message.type() === 'error') errors.push(message.text());
        });
        page.on('pageerror', (error) => errors.push(error.message));
        page.on('request', (request) => requests.push(request.url()));
        await page.goto(`file://${out}`);
        const bars = await page.$$eval('.run .bar', (nodes) =>
          nodes.map((node) => ({
            step: node.getAttribute('data-step'),
            left: node.getBoundingClientRect().left,
            width: node.getBoundingClientRect().width,
          })),
        );
        expect(bars.map((bar) => bar.step)).toEqual(['plan', 'answers', 'report']);
        expect(bars.map((bar) => bar.step)).toEqual(trace.steps.map((record) => record.stepId));
        for (let index = 1; index < bars.length; index++) {
          expect(bars[index]!.left).toBeGreaterThanOrEqual(bars[index - 1]!.left);
        }
        for (const bar of bars) expect(bar.width).toBeGreaterThan(2);
        await page.hover('.bar[data-step="answers"]');
        const tip = page.locator('.bar[data-step="answers"] + .tip');
        expect(await tip.isVisible()).toBe(true);
        expect(await tip.textContent()).toContain('deepseek-flash');
        await page.screenshot({ path: join(dir, 'report.png'), fullPage: true });
        expect(statSync(join(dir, 'report.png')).size).toBeGreaterThan(10_000);
        expect(errors).toEqual([]);
        expect(requests.filter((url) => !url.startsWith('file://'))).toEqual([]);
      } finally {
        await browser.close();
      }
    },
    60_000,
  );
});
