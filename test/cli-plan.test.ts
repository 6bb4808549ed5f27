import { afterEach, describe, expect, it, vi } from 'vitest';
import { plan } from '../src/cli/commands/plan';

afterEach(() => vi.restoreAllMocks());

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((text = '') => out.push(String(text)));
  vi.spyOn(console, 'error').mockImplementation((text = '') => err.push(String(text)));
  vi.spyOn(console, 'info').mockImplementation((text = '') => err.push(String(text)));
  return { out, err };
}

describe('hotpath plan', () => {
  it('prints the plan of the chain a module exports, without calling a model', async () => {
    const { out } = capture();
    const code = await plan.run([
      'examples/research.ts',
      '--input',
      '{"question":"Why?"}',
      // Off-peak for DeepSeek (a Wednesday noon UTC): the plan does not move with the hour.
      '--at',
      '2026-12-02T12:00:00Z',
    ]);
    expect(code).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/^plan for research \(balanced/);
    expect(text).toMatch(/answers ×6\s+deepseek-flash\s+cheap/);
  });

  it('takes deadline and budget objectives', async () => {
    const { out } = capture();
    expect(await plan.run(['examples/research.ts', '--objective', 'deadline=20000'])).toBe(0);
    expect(out.join('\n')).toContain('deadline 20');
  });

  it('prices the plan at the instant `--at` names, as runtime.plan prices a run starting then', async () => {
    const { out } = capture();
    expect(await plan.run(['examples/research.ts', '--at', '2026-12-02T02:00:00Z'])).toBe(0);
    expect(out.join('\n')).toMatch(/prices: .*deepseek-flash.* peak until 04:00 UTC/);
    out.length = 0;
    expect(await plan.run(['examples/research.ts', '--at', '2026-12-02T12:00:00Z'])).toBe(0);
    expect(out.join('\n')).toMatch(/prices: .*deepseek-flash.* off-peak until /);
  });

  it('refuses an `--at` that is not an ISO date-time with its offset', async () => {
    const { err } = capture();
    // `Date.parse` takes `1` for 2001, and a time without a zone as the machine's local time.
    for (const at of ['tomorrow', '1', '2026-12-02T02:00:00', '2026-12-02']) {
      err.length = 0;
      expect(await plan.run(['examples/research.ts', '--at', at])).toBe(2);
      expect(err.join('\n')).toContain(`\`--at\` is not an ISO date-time with its offset`);
      expect(err.join('\n')).toContain(`: \`${at}\``);
    }
    expect(await plan.run(['examples/research.ts', '--at', '2026-12-02T03:00:00+01:00'])).toBe(0);
  });

  it('names the chains a module exports when it cannot pick one', async () => {
    const { err } = capture();
    expect(await plan.run(['examples/research.ts', '--chain', 'nope'])).toBe(2);
    expect(err.join('\n')).toContain('expected one chain named nope; the module exports: research');
  });

  it('refuses an unknown objective with the usage', async () => {
    const { err } = capture();
    expect(await plan.run(['examples/research.ts', '--objective', 'fastest'])).toBe(2);
    expect(err.join('\n')).toContain('unknown objective `fastest`');
  });
});
