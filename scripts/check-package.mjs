// Packs hotpath, installs the tarball into a fresh folder (from npm's cache: no network needed
// after `npm ci`), imports it from ESM and from require(), runs a chain there, then runs publint
// and @arethetypeswrong/cli. Run after `npm run build`: `npm run check:package`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const run = (command, args, cwd = root) =>
  execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const work = mkdtempSync(join(tmpdir(), 'hotpath-pack-'));

try {
  const tarball = join(
    work,
    run('npm', ['pack', '--silent', '--pack-destination', work]).split('\n').pop(),
  );
  console.log(
    `packed ${tarball.split('/').pop()}: ${(statSync(tarball).size / 1024).toFixed(1)} KiB`,
  );

  const app = join(work, 'app');
  run('mkdir', ['-p', app]);
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'app', private: true, type: 'module' }),
  );
  const peers = ['ai', 'zod', 'pg'].map((name) => `${name}@${pkg.devDependencies[name]}`);
  run(
    'npm',
    [
      'install',
      tarball,
      ...peers,
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      '--loglevel=error',
    ],
    app,
  );
  console.log(`installed into a fresh folder with ${peers.join(' ')}`);

  const esm = `
    import { chain, createRuntime, createVirtualClock, llm, models } from 'hotpath';
    import { z } from 'zod';
    const hello = chain('hello', { input: z.object({ name: z.string() }) })
      .step('greet', llm({ prompt: ({ input }) => 'Greet ' + input.name, maxOutputTokens: 20 }))
      .returns(({ greet }) => greet.text);
    const runtime = createRuntime({ models: models.emulated({ clock: createVirtualClock() }) });
    const { output, trace } = await runtime.run(hello, { name: 'Ada' });
    console.log('ESM import: ran a chain, ' + trace.calls + ' call, ' + output.split(' ').length + ' words');`;
  console.log(run('node', ['--input-type=module', '-e', esm], app));
  const cjs = `const hotpath = require('hotpath'); console.log('require(): ' + Object.keys(hotpath).length + ' exports, chain is a ' + typeof hotpath.chain);`;
  console.log(run('node', ['-e', cjs], app));
  console.log(
    run(
      'node',
      [
        '--input-type=module',
        '-e',
        `import('hotpath/node').then((m) => console.log('hotpath/node: ' + Object.keys(m).join(', ')))`,
      ],
      app,
    ),
  );
  // The integrations import their optional peers (ioredis, bullmq) only when used: they load
  // in an app that has not installed them.
  console.log(
    run(
      'node',
      [
        '--input-type=module',
        '-e',
        `Promise.all([import('hotpath/redis'), import('hotpath/bullmq')]).then(([r, b]) => console.log('without ioredis or bullmq: hotpath/redis ' + Object.keys(r).join(', ') + '; hotpath/bullmq ' + Object.keys(b).join(', ')))`,
      ],
      app,
    ),
  );
  console.log(
    run(
      'node',
      [
        '--input-type=module',
        '-e',
        `import('hotpath/postgres').then((m) => console.log('hotpath/postgres: ' + Object.keys(m).join(', ')))`,
      ],
      app,
    ),
  );

  console.log(run('npx', ['publint', '--strict']));
  console.log(
    run('npx', ['attw', '--pack', '.', '--profile', 'esm-only', '--format', 'table-flipped']),
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
