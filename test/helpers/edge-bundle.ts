import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Bundles `contents` (TypeScript that imports './src/index.ts') as one script for the browser
 * platform: any `node:*` import on the way fails the build, as it would at the edge.
 */
export async function bundleForEdge(contents: string, plugins: Plugin[] = []): Promise<string> {
  const bundle = await build({
    stdin: { contents, resolveDir: root, loader: 'ts' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    plugins,
  });
  return bundle.outputFiles[0]!.text;
}
