import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRuntime, fromEnv, type RunTrace } from 'hotpath';
import { startEmulator } from 'hotpath/node';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startWebServer } from '../examples/web/server';

const executablePath = '/usr/bin/chromium';

describe.skipIf(!existsSync(executablePath))('examples/web in headless Chromium', () => {
  it('shows the answer before the run ends, step progress, and cancels the run', async () => {
    const emulator = await startEmulator({ timeScale: 4 });
    const env = { HOTPATH_EMULATOR_URL: emulator.url, HOTPATH_EMULATOR_TIME_SCALE: '4' };
    const runtime = createRuntime({ models: fromEnv({ env, log: false }) });
    const ends: RunTrace[] = [];
    runtime.on('chain:end', (trace) => ends.push(trace));
    const server = await startWebServer({ runtime });
    const browser = await chromium.launch({
      executablePath,
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 900, height: 640 } });
      await page.goto(server.url);
      await page.click('#go');
      await page.waitForFunction(() => document.querySelector('#answer')!.textContent!.length > 0);
      // The first answer text is on the page while the run still goes on.
      expect(ends).toHaveLength(0);
      expect(await page.textContent('#status')).toBe('running');
      await page.waitForFunction(
        () => document.querySelector('#status')!.textContent!.startsWith('done'),
        undefined,
        { timeout: 60_000 },
      );
      expect(ends).toHaveLength(1);
      expect(ends[0]!.status).toBe('ok');
      const steps = await page.$$eval('#steps li', (items) => items.map((li) => li.textContent));
      expect(steps).toEqual([
        expect.stringMatching(/^plan · ok/),
        expect.stringMatching(/^answers 4\/4 · ok/),
        expect.stringMatching(/^report · ok/),
      ]);
      const answer = await page.textContent('#answer');
      expect(answer!.length).toBeGreaterThan(200);
      const dir = mkdtempSync(join(tmpdir(), 'hotpath-web-'));
      const screenshot = join(dir, 'streamed.png');
      await page.screenshot({ path: screenshot, fullPage: true });
      console.log(`screenshot: ${screenshot}`);

      // Again, and cancel once the answer has begun.
      await page.click('#go');
      await page.waitForFunction(() => document.querySelector('#answer')!.textContent!.length > 0);
      expect(emulator.stats().openStreams).toBeGreaterThan(0);
      await page.click('#cancel');
      await page.waitForFunction(
        () => document.querySelector('#status')!.textContent === 'cancelled',
      );
      await expect.poll(() => ends.length, { timeout: 10_000 }).toBe(2);
      expect(ends[1]!.status).toBe('error');
      await new Promise((resolve) => setTimeout(resolve, 150));
      const stats = emulator.stats();
      expect({ inFlight: stats.inFlight, openStreams: stats.openStreams }).toEqual({
        inFlight: 0,
        openStreams: 0,
      });
      await page.screenshot({ path: join(dir, 'cancelled.png'), fullPage: true });
    } finally {
      await browser.close();
      await server.close();
      await emulator.close();
    }
  }, 120_000);
});
