import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, type Snippet, typeErrorsOf } from './helpers/type-check-snippets';

const readme = readFileSync(join(root, 'README.md'), 'utf8');

/**
 * Names the README's snippets use without defining them: what the prose around each one says
 * they are (a chain, a pool, a step's measurements). Declared `any` where a snippet does not
 * define them itself, so a snippet is checked for the functions and options of hotpath's API it
 * uses; any other unknown name fails the test.
 */
const given = [
  'prompt',
  'tools',
  'research',
  'pool',
  'step',
  'model',
  'durationMs',
  'inputTokens',
  'outputTokens',
  'nowMs',
  'done',
  'running',
  'chain',
  'history',
  'extract',
  'files',
];

function readmeSnippets(): Snippet[] {
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!);
  return blocks.flatMap((code, index) =>
    // Files shown whole are type-checked where they live (test/readme.test.ts holds them equal).
    code.startsWith('// examples/') || (code.startsWith('import') && /\bexport\b/.test(code))
      ? []
      : [
          {
            name: `README block ${index + 1}`,
            code,
          },
        ],
  );
}

describe('README snippets', () => {
  it('type-check against the API, given only the names their prose introduces', async () => {
    const snippets = readmeSnippets();
    expect(snippets.length).toBeGreaterThan(8);
    expect(await typeErrorsOf(snippets, given)).toEqual([]);
  }, 120_000);
});
