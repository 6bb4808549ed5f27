import { parseArgs } from 'node:util';
import { openStore, storeLocation, withoutPassword } from '../runs/open-store';
import type { Command } from '.';

const help = `Usage: hotpath cache clear [--store DIR|URL] [--older-than DURATION]

Empties the development cache of a run store (see createRuntime({ store, cache: true })).

Options:
  --store DIR|URL         a file store's folder or a postgres:// URL [default: $HOTPATH_STORE, else .hotpath]
  --older-than DURATION   drop only results older than this: 90s, 30m, 12h, 7d
  -h, --help              show this help`;

const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `hotpath cache clear`: empties the development cache. */
export const cache: Command = {
  summary: 'empty the development cache of a run store (cache clear)',
  async run(args) {
    let values: { store?: string; 'older-than'?: string; help?: boolean };
    let positionals: string[];
    try {
      ({ values, positionals } = parseArgs({
        args: [...args],
        allowPositionals: true,
        options: {
          store: { type: 'string' },
          'older-than': { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        },
      }));
    } catch (error) {
      console.error(`hotpath cache: ${(error as Error).message}\n\n${help}`);
      return 2;
    }
    if (values.help) {
      console.log(help);
      return 0;
    }
    if (positionals.length !== 1 || positionals[0] !== 'clear') {
      console.error(`hotpath cache: expected \`cache clear\`\n\n${help}`);
      return 2;
    }
    let olderThanMs: number | undefined;
    if (values['older-than'] !== undefined) {
      const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(values['older-than']);
      if (match === null) {
        console.error(
          `hotpath cache: expected \`--older-than\` to be a duration such as 90s, 30m, 12h or 7d, got \`${values['older-than']}\``,
        );
        return 2;
      }
      olderThanMs = Number(match[1]) * units[match[2]!]!;
    }
    const where = storeLocation(values.store);
    const store = await openStore(where);
    try {
      const dropped = await store.clearCache({ olderThanMs });
      console.log(
        `cleared ${dropped} cached result${dropped === 1 ? '' : 's'} from ${withoutPassword(where)}`,
      );
      return 0;
    } finally {
      await store.close?.();
    }
  },
};
