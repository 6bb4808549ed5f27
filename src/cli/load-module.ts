import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** A mistake of the user's that a command reports in one line, without a stack. */
export class CliError extends Error {
  override readonly name = 'CliError';
}

/** How a module is imported (a test seam: Node's own `import()` by default). */
export type ImportModule = (url: string) => Promise<Record<string, unknown>>;

const nativeImport: ImportModule = (url) => import(url);
const typeScript = /\.[cm]?tsx?$/;

/**
 * Imports the user's module at `path`: JavaScript as it is, TypeScript through `tsx` when Node
 * cannot load it alone (`tsx` is optional: without it the error says how to run the module).
 */
export async function loadModule(
  path: string,
  importModule: ImportModule = nativeImport,
): Promise<Record<string, unknown>> {
  const file = resolve(path);
  if (!existsSync(file)) throw new CliError(`cannot find the module \`${path}\` (${file})`);
  const url = pathToFileURL(file).href;
  try {
    return await importModule(url);
  } catch (error) {
    const code = (error as { code?: string } | null)?.code;
    if (code === 'ERR_UNKNOWN_FILE_EXTENSION' && typeScript.test(file)) {
      return importTypeScript(url, path);
    }
    if (code === 'ERR_MODULE_NOT_FOUND') {
      throw new CliError(`cannot load \`${path}\`: ${(error as Error).message}`);
    }
    throw new CliError(
      `\`${path}\` threw while loading: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

async function importTypeScript(url: string, path: string): Promise<Record<string, unknown>> {
  let api: { tsImport(specifier: string, parent: string): Promise<Record<string, unknown>> };
  try {
    api = await import('tsx/esm/api');
  } catch {
    throw new CliError(
      `\`${path}\` is TypeScript, which Node does not run alone here: install tsx (\`npm install -D tsx\`), or run the command as \`npx tsx node_modules/hotpath/dist/cli/index.js ...\`, or point it at the compiled .js file`,
    );
  }
  return api.tsImport(url, import.meta.url);
}
