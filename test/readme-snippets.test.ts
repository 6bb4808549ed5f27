import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
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
  'readFileSync',
  'createDeepSeek',
];

/** A snippet that starts with `.map(...)` goes on the research chain, whose `plan` it reads. */
const researchSoFar = `hotpathChain('research', { input: z.object({ question: z.string() }) }).step(
  'plan',
  llm({ prompt: 'plan', output: z.object({ queries: z.array(z.string()) }) }),
)`;

/** Whether `code` defines `name` itself (a declaration or an import). */
const defines = (code: string, name: string) =>
  new RegExp(
    `\\b(const|let|var|function|class)\\s+${name}\\b|import[^;]*\\b${name}\\b[^;]*from`,
  ).test(code);

async function checkedSources(): Promise<Map<string, string>> {
  const exported = Object.keys(await import('hotpath'));
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!);
  const sources = new Map<string, string>();
  blocks.forEach((code, index) => {
    // Files shown whole are type-checked where they live (test/readme.test.ts holds them equal).
    if (code.startsWith('// examples/') || (code.startsWith('import') && /\bexport\b/.test(code)))
      return;
    const body = code.startsWith('.') ? `${researchSoFar}${code}` : code;
    const used = (name: string) => new RegExp(`\\b${name}\\b`).test(body);
    // A name the prose gives (`chain`: the chain at hand) is that, not hotpath's function.
    const imports = exported.filter(
      (name) => used(name) && !defines(code, name) && !given.includes(name),
    );
    const lines = [
      ...(imports.length > 0 ? [`import { ${imports.join(', ')} } from 'hotpath';`] : []),
      ...(code.startsWith('.')
        ? ["import { chain as hotpathChain } from 'hotpath';", "import { z } from 'zod';"]
        : []),
      ...given
        .filter((name) => used(name) && !defines(code, name))
        .map((name) => `declare const ${name}: any;`),
      body,
      'export {};',
    ];
    sources.set(join(root, 'test', '__readme__', `snippet-${index}.ts`), lines.join('\n'));
  });
  return sources;
}

describe('README snippets', () => {
  it('type-check against the API, given only the names their prose introduces', async () => {
    const sources = await checkedSources();
    expect(sources.size).toBeGreaterThan(8);
    const config = ts.getParsedCommandLineOfConfigFile(
      join(root, 'tsconfig.json'),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: () => {},
      },
    )!;
    const host = ts.createCompilerHost(config.options);
    const readFile = host.readFile.bind(host);
    const fileExists = host.fileExists.bind(host);
    host.readFile = (path) => sources.get(path) ?? readFile(path);
    host.fileExists = (path) => sources.has(path) || fileExists(path);
    const program = ts.createProgram({
      rootNames: [...sources.keys()],
      options: config.options,
      host,
    });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter(
        (diagnostic) => diagnostic.file !== undefined && sources.has(diagnostic.file.fileName),
      )
      .map(
        (diagnostic) =>
          `${diagnostic.file!.fileName.split('/').pop()}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`,
      );
    expect(problems).toEqual([]);
  }, 120_000);
});
