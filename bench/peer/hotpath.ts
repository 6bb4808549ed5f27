import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LanguageModelV4 } from '@ai-sdk/provider';
import { chain, createModelPool, createRuntime, defineModel, llm, type StepRecord } from 'hotpath';
import { jsonlExporter } from 'hotpath/node';
import { z } from 'zod';
import { zeroProfile } from '../overhead/zero-model';
import {
  branchPrompt,
  diamondBranches,
  itemPrompt,
  joinPrompt,
  type PeerShape,
  planPrompt,
  stepPrompt,
} from './shapes';

const input = z.object({ topic: z.string() });

/** The shape as a hotpath chain: steps, `needs` for the diamond, a `map` for fan-outs. */
export function hotpathChain(shape: PeerShape) {
  if (shape.kind === 'sequential') {
    let built: any = chain(shape.id, { input });
    for (let index = 0; index < shape.calls; index++)
      built = built.step(`s${index}`, llm({ prompt: stepPrompt(index) }));
    return built;
  }
  if (shape.kind === 'fanout') {
    const list = Array.from({ length: shape.calls }, (_, index) => index);
    return chain(shape.id, { input }).map('items', () => list, llm({ prompt: itemPrompt }), {
      concurrency: shape.concurrency,
      expect: { items: shape.calls },
    });
  }
  let built: any = chain(shape.id, { input }).step('plan', llm({ prompt: planPrompt }));
  const ends: string[] = [];
  for (let branch = 0; branch < diamondBranches; branch++) {
    built = built
      .step(`b${branch}a`, { needs: ['plan'] }, llm({ prompt: branchPrompt(branch, 'a') }))
      .step(`b${branch}b`, { needs: [`b${branch}a`] }, llm({ prompt: branchPrompt(branch, 'b') }));
    ends.push(`b${branch}b`);
  }
  return built.step('join', { needs: ends }, llm({ prompt: joinPrompt }));
}

/** The hotpath configurations the peer table reports. */
export type HotpathVariant = 'defaults' | 'jsonl';

/**
 * A runner for the shape on a one-model pool of the shared mock: `defaults`, or `jsonl` (a JSONL
 * trace log in a temp folder, flushed inside the timed run, and an `onStepEnd` hook).
 */
export function hotpathRunner(shape: PeerShape, model: LanguageModelV4, variant: HotpathVariant) {
  const pool = createModelPool([defineModel(model, zeroProfile)]);
  const folder = variant === 'jsonl' ? mkdtempSync(join(tmpdir(), 'hotpath-peers-')) : undefined;
  const exporter =
    folder === undefined
      ? undefined
      : jsonlExporter({ path: join(folder, `${shape.id}.jsonl`), onError: () => {} });
  let ended = 0;
  const runtime = createRuntime({
    models: pool,
    exporters: exporter ? [exporter] : [],
    ...(variant === 'jsonl' ? { onStepEnd: (_record: StepRecord) => void ended++ } : {}),
  });
  const built = hotpathChain(shape);
  return {
    run: async () => {
      const result = await runtime.run(built, { topic: 'overhead' });
      await exporter?.flush?.();
      return result;
    },
    cleanUp: () => {
      if (folder) rmSync(folder, { recursive: true, force: true });
    },
  };
}
