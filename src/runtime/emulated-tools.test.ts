import { tool } from 'ai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { agent, chain } from '../chain';
import { createVirtualClock } from '../clock';
import { createEmulatedModel } from '../emulator/emulated-model';
import { createEmulatorSession } from '../emulator/session';
import { mercury2 } from '../models/catalog';
import { createEmulatedPool } from '../models/emulated-pool';
import { createModelPool, defineModel } from '../models/pool';
import { createRuntime } from './runtime';

function refundDesk() {
  const refunds: unknown[] = [];
  const lookups: unknown[] = [];
  const tools = {
    refund: tool({
      description: 'Refund an order',
      inputSchema: z.object({ order: z.string(), amount: z.number() }),
      execute: async (input) => {
        refunds.push(input);
        return { refunded: true };
      },
    }),
    lookUp: tool({
      description: 'Look an order up',
      inputSchema: z.object({ order: z.string() }),
      execute: async (input) => {
        lookups.push(input);
        return { status: 'shipped' };
      },
    }),
  };
  return { refunds, lookups, tools };
}

const input = z.object({ order: z.string() });

describe('agent tools on an emulated model', () => {
  it('run by default, with the arguments the emulator invents', async () => {
    const desk = refundDesk();
    const support = chain('support', { input }).step(
      'desk',
      agent({ prompt: 'Refund order 42', tools: { refund: desk.tools.refund }, maxSteps: 3 }),
    );
    const runtime = createRuntime({ models: createEmulatedPool({ clock: createVirtualClock() }) });
    await runtime.run(support, { order: '42' });
    expect(desk.refunds.length).toBeGreaterThan(0);
  });

  it('are not run when the step names them in emulatedTools; the model and trace see a stub', async () => {
    const desk = refundDesk();
    const support = chain('support', { input }).step(
      'desk',
      agent({
        prompt: 'Refund order 42',
        tools: { refund: desk.tools.refund },
        maxSteps: 3,
        emulatedTools: ['refund'],
      }),
    );
    const runtime = createRuntime({ models: createEmulatedPool({ clock: createVirtualClock() }) });
    const { output } = await runtime.run(support, { order: '42' });
    const result = output.desk as { toolCalls: { toolName: string; output: unknown }[] };
    expect(desk.refunds).toEqual([]);
    expect(result.toolCalls.length).toBeGreaterThan(0);
    expect(result.toolCalls[0]).toMatchObject({
      toolName: 'refund',
      output: { skipped: true, reason: expect.stringContaining('`refund` was not run') },
    });
  });

  it("'skip' keeps every tool from running; a real (non-emulated) model runs them all", async () => {
    const desk = refundDesk();
    const support = chain('support', { input }).step(
      'desk',
      agent({ prompt: 'Look order 42 up', tools: desk.tools, maxSteps: 3, emulatedTools: 'skip' }),
    );
    const clock = createVirtualClock();
    await createRuntime({ models: createEmulatedPool({ clock }) }).run(support, { order: '42' });
    expect([...desk.refunds, ...desk.lookups]).toEqual([]);
    // The same engine under another provider name stands for a real provider here.
    const session = createEmulatorSession({ seed: 1 });
    const real = {
      ...createEmulatedModel({ profile: mercury2, clock, seed: 1, session }),
      provider: 'acme.chat',
    };
    const pool = createModelPool([defineModel(real, mercury2)], { clock });
    await createRuntime({ models: pool }).run(support, { order: '42' });
    expect(desk.refunds.length + desk.lookups.length).toBeGreaterThan(0);
  });

  it('refuses an emulatedTools name that is not a tool of the step', () => {
    const desk = refundDesk();
    expect(() =>
      chain('support', { input }).step(
        'desk',
        agent({ prompt: 'p', tools: desk.tools, emulatedTools: ['refnud'] }),
      ),
    ).toThrow('Unknown tool `refnud` in `emulatedTools`; the tools are `refund`, `lookUp`');
  });
});
