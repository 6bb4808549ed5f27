import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

describe('README', () => {
  it('shows examples/research.ts as it is (the first chain is that file)', () => {
    const readme = read('README.md');
    const usage = readme.slice(readme.indexOf('## A first chain'));
    const snippet = /```ts\n([\s\S]*?)```/.exec(usage)?.[1];
    expect(snippet).toBeDefined();
    expect(read('examples/research.ts').startsWith(snippet!)).toBe(true);
  });

  it('streams with examples/web/route.ts as it is, right after the first chain', () => {
    const readme = read('README.md');
    const section = readme.slice(readme.indexOf('## Streaming it to a browser'));
    expect(readme.indexOf('## Streaming it to a browser')).toBeGreaterThan(
      readme.indexOf('## A first chain'),
    );
    expect(readme.indexOf('## Streaming it to a browser')).toBeLessThan(
      readme.indexOf('## Reading a trace'),
    );
    const snippet = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    expect(snippet).toBe(read('examples/web/route.ts'));
  });

  it('shows each example it names in a first-line comment as that file is', () => {
    const readme = read('README.md');
    const named = [...readme.matchAll(/```ts\n\/\/ (examples\/[\w/.-]+\.ts)\n([\s\S]*?)```/g)];
    // The scaling-out worker and coordinator at least.
    expect(named.map((match) => match[1])).toEqual(
      expect.arrayContaining([
        'examples/scaling-out/worker.ts',
        'examples/scaling-out/coordinator.ts',
      ]),
    );
    for (const [, path, body] of named) expect(body, path).toBe(read(path!));
  });

  it('gives the two commands that package.json and .ci/run use', () => {
    const readme = read('README.md');
    expect(readme).toContain('npm ci && npm run demo');
    expect(readme).toContain('npm test');
    const scripts = JSON.parse(read('package.json')).scripts;
    expect(scripts.demo).toBe('tsx examples/research.ts');
    expect(read('.ci/run')).toMatch(/npm ci\nnpm test\n/);
  });

  it('puts the newcomer first, then a reference whose contents link to its sections', () => {
    const readme = read('README.md');
    const top = ['## The two commands', '## Install', '## A first chain', '## Reading a trace'];
    const positions = [...top, '## Reference'].map((heading) => readme.indexOf(`\n${heading}\n`));
    expect(positions.every((at) => at > 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));

    const reference = readme.slice(readme.indexOf('\n## Reference\n'));
    const visible = reference.replace(/<!--[\s\S]*?-->/g, '');
    const contents = [...visible.matchAll(/^- \[[^\]]+\]\(#([a-z0-9-]+)\)/gm)].map((m) => m[1]);
    const anchors = [...visible.matchAll(/^###+ (.+)$/gm)].map((m) =>
      m[1]!
        .toLowerCase()
        .replace(/[^a-z0-9 -]/g, '')
        .replace(/ /g, '-'),
    );
    expect(contents.length).toBeGreaterThan(10);
    for (const anchor of contents) expect(anchors).toContain(anchor);
  });

  it('says how to install without the registry and states the Node floor ai@7 declares', () => {
    const readme = read('README.md');
    const install = readme.slice(readme.indexOf('## Install'), readme.indexOf('## A first chain'));
    expect(install).toContain('npm pack');
    expect(install).toContain('not on the npm registry');
    const aiEngines = JSON.parse(read('node_modules/ai/package.json')).engines.node;
    expect(aiEngines).toBe('>=22');
    expect(install).toContain('Node 22 or later');
    expect(install).toContain('EBADENGINE');
  });
});
