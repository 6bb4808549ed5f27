import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** The repository's root. */
export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A code snippet from the docs: where it comes from, and its code. */
export interface Snippet {
  readonly name: string;
  readonly code: string;
}

/** hotpath's entry points, whose exports a snippet may use without importing them. */
const entries = [
  'hotpath',
  'hotpath/node',
  'hotpath/otel',
  'hotpath/redis',
  'hotpath/bullmq',
  'hotpath/postgres',
] as const;

/**
 * The research chain up to its `plan` step (five to eight queries): a snippet that starts with
 * `.step(...)` or `.map(...)` goes on it.
 */
export const researchSoFar = `import * as hotpathApi from 'hotpath';
import * as zodApi from 'zod';
hotpathApi.chain('research', { input: zodApi.object({ question: zodApi.string() }) }).step(
  'plan',
  hotpathApi.llm({ prompt: 'plan', output: zodApi.object({ queries: zodApi.array(zodApi.string()) }) }),
)`;

/** Names from other packages a snippet may use without importing them, and where they are. */
const elsewhere: ReadonlyMap<string, string> = new Map([
  ['z', 'zod'],
  ['tool', 'ai'],
  ['stepCountIs', 'ai'],
  ['hasToolCall', 'ai'],
  ['generateText', 'ai'],
  ['streamText', 'ai'],
  ['createOpenAI', '@ai-sdk/openai'],
  ['createDeepSeek', '@ai-sdk/deepseek'],
  ['readFileSync', 'node:fs'],
  ['writeFile', 'node:fs/promises'],
]);

/** Whether `code` defines `name` itself (a declaration or an import). */
const defines = (code: string, name: string) =>
  new RegExp(
    `\\b(const|let|var|function|class)\\s+${name}\\b|\\{[^}]*\\b${name}\\b[^}]*\\}\\s*=|import[^;]*\\b${name}\\b[^;]*from`,
  ).test(code);

/**
 * A snippet as a module to type-check: the hotpath exports it uses imported for it (from the
 * entry point that has them, and a few names of `ai`, `zod` and Node's from theirs), each of `given` it uses declared `any` (what the prose around it
 * says the name is), and its code in an async function when it is not a module of its own (so
 * that `await` and `return` read as they would in the caller's code).
 */
function moduleOf(
  snippet: Snippet,
  given: readonly string[],
  exported: ReadonlyMap<string, string>,
): string {
  const code = snippet.code.startsWith('.') ? researchSoFar + snippet.code : snippet.code;
  // A name, not a property (`models.catalog`); a spread (`...gpt5Mini`) is the name.
  const used = (name: string) => new RegExp(`(^|[^.\\w$]|\\.\\.\\.)${name}\\b`).test(code);
  const imports = new Map<string, string[]>();
  for (const [name, entry] of exported) {
    if (!used(name) || defines(code, name) || given.includes(name)) continue;
    imports.set(entry, [...(imports.get(entry) ?? []), name]);
  }
  const declared = given.filter((name) => used(name) && !defines(code, name));
  const ownImports = code.match(/^import .*;$/gm) ?? [];
  const body = code.replace(/^import .*;$/gm, '').trim();
  // An object literal alone (a value shown by its shape) is an expression, not a block.
  const statements = body.startsWith('{') ? `(${body});` : body;
  return [
    ...ownImports,
    ...[...imports].map(([entry, names]) => `import { ${names.join(', ')} } from '${entry}';`),
    ...declared.map((name) => `declare const ${name}: any;`),
    'export async function snippet() {',
    statements,
    '}',
  ].join('\n');
}

/**
 * The type errors of `snippets` against hotpath's API with the repository's compiler options,
 * as `name: message` lines (none when every snippet type-checks).
 */
export async function typeErrorsOf(
  snippets: readonly Snippet[],
  given: readonly string[],
): Promise<string[]> {
  const exported = new Map<string, string>(elsewhere);
  for (const entry of entries) {
    for (const name of Object.keys(await import(entry))) {
      if (!exported.has(name)) exported.set(name, entry);
    }
  }
  const sources = new Map<string, { name: string; text: string }>();
  snippets.forEach((snippet, index) => {
    sources.set(join(root, 'test', '__snippets__', `snippet-${index}.ts`), {
      name: snippet.name,
      text: moduleOf(snippet, given, exported),
    });
  });
  const config = ts.getParsedCommandLineOfConfigFile(
    join(root, 'tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  )!;
  const host = ts.createCompilerHost(config.options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (path) => sources.get(path)?.text ?? readFile(path);
  host.fileExists = (path) => sources.has(path) || fileExists(path);
  const program = ts.createProgram({
    rootNames: [...sources.keys()],
    options: config.options,
    host,
  });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((diagnostic) => diagnostic.file !== undefined && sources.has(diagnostic.file.fileName))
    .map(
      (diagnostic) =>
        `${sources.get(diagnostic.file!.fileName)!.name}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`,
    );
}
