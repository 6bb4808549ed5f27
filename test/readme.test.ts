import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

describe('README', () => {
  it('shows examples/research.ts as it is (the usage snippet is that file)', () => {
    const readme = read('README.md');
    const usage = readme.slice(readme.indexOf('## Usage'));
    const snippet = /```ts\n([\s\S]*?)```/.exec(usage)?.[1];
    expect(snippet).toBeDefined();
    expect(read('examples/research.ts').startsWith(snippet!)).toBe(true);
  });

  it('gives the two commands that package.json and .ci/run use', () => {
    const readme = read('README.md');
    expect(readme).toContain('npm ci && npm run demo');
    expect(readme).toContain('npm test');
    const scripts = JSON.parse(read('package.json')).scripts;
    expect(scripts.demo).toBe('tsx examples/research.ts');
    expect(read('.ci/run')).toMatch(/npm ci\nnpm test\n/);
  });
});
