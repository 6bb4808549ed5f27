import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, type Snippet, typeErrorsOf } from './helpers/type-check-snippets';

/** The names the `@example`s use as what their doc comment is about, declared `any`. */
const given = [
  'research',
  'runtime',
  'question',
  'trace',
  'pool',
  'history',
  'step',
  'previous',
  'done',
  'running',
  'url',
  'lookUp',
  'euModel',
  'openai',
];

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !/\.test(-d)?\.ts$/.test(path) ? [path] : [];
  });
}

/** Every fenced `ts` block of an `@example` in a doc comment under `src/`. */
function tsdocExamples(): Snippet[] {
  const snippets: Snippet[] = [];
  for (const path of sourceFiles(join(root, 'src'))) {
    const text = readFileSync(path, 'utf8');
    for (const match of text.matchAll(/@example\n((?:[ \t]*\*.*\n)*?)[ \t]*\*\//g)) {
      const body = match[1]!
        .split('\n')
        .map((line) => line.replace(/^[ \t]*\* ?/, ''))
        .join('\n');
      const code = /```ts\n([\s\S]*?)```/.exec(body)?.[1];
      const line = text.slice(0, match.index).split('\n').length;
      if (code !== undefined) snippets.push({ name: `${relative(root, path)}:${line}`, code });
    }
  }
  return snippets;
}

describe('TSDoc examples', () => {
  it('type-check against the API, given only the names their doc comments introduce', async () => {
    const snippets = tsdocExamples();
    expect(snippets.length).toBeGreaterThan(30);
    expect(await typeErrorsOf(snippets, given)).toEqual([]);
  }, 120_000);
});
