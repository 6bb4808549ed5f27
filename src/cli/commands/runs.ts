import { parseArgs } from 'node:util';
import type { RunStore, RunSummary } from '../../stores/run-store';
import { detectColor } from '../../tracing/exporters/terminal';
import { formatWaterfall } from '../../tracing/format/waterfall';
import { traceFromJournal } from '../runs/journal-trace';
import { openStore, storeLocation } from '../runs/open-store';
import type { Command } from '.';

const help = `Usage: hotpath runs [--store DIR|URL] [--json]
       hotpath runs show ID [--store DIR|URL] [--json]

Lists the runs in a run store, the latest first: status (running, interrupted once its lease
has lapsed, ok, error), attempts, progress and spend. \`show\` prints one run's waterfall, as
\`hotpath trace\` does (ID may be the first characters of a run id).

Options:
  --store DIR|URL   a file store's folder or a postgres:// URL [default: $HOTPATH_STORE, else .hotpath]
  --json            print JSON
  -h, --help        show this help`;

/** `hotpath runs [show ID]`: the runs in a store. */
export const runs: Command = {
  summary: 'list the runs in a run store, or show one (--store DIR|URL)',
  async run(args) {
    let parsed: ReturnType<typeof parse>;
    try {
      parsed = parse(args);
    } catch (error) {
      console.error(`hotpath runs: ${(error as Error).message}\n\n${help}`);
      return 2;
    }
    const { values, positionals } = parsed;
    if (values.help) {
      console.log(help);
      return 0;
    }
    const [action, id] = positionals;
    if (
      !(action === undefined || (action === 'show' && id !== undefined && positionals.length === 2))
    ) {
      console.error(`hotpath runs: expected \`runs\` or \`runs show ID\`\n\n${help}`);
      return 2;
    }
    let store: RunStore;
    try {
      store = await openStore(storeLocation(values.store));
    } catch (error) {
      console.error(`hotpath runs: ${(error as Error).message}`);
      return 1;
    }
    try {
      return action === undefined
        ? await list(store, values.json === true)
        : await show(store, id!, values.json === true);
    } catch (error) {
      console.error(`hotpath runs: ${(error as Error).message}`);
      return 1;
    } finally {
      await store.close?.();
    }
  },
};

function parse(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      store: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

async function list(store: RunStore, json: boolean): Promise<number> {
  const summaries = await store.list();
  if (json) {
    console.log(JSON.stringify(summaries, null, 2));
    return 0;
  }
  if (summaries.length === 0) {
    console.log('no runs');
    return 0;
  }
  const rows = [
    ['run', 'chain', 'status', 'attempts', 'progress', 'spend', 'updated'],
    ...summaries.map((run) => [
      run.runId,
      run.chain,
      statusOf(run),
      String(run.attempts),
      `${run.stepsDone}/${run.steps} steps${run.items > 0 ? `, ${run.items} items` : ''}`,
      `$${run.costUsd.toFixed(6)}`,
      new Date(run.updatedAt).toISOString().replace(/\.\d+Z$/, 'Z'),
    ]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const row of rows)
    console.log(
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    );
  return 0;
}

/** `running` while its lease is held; a run whose lease lapsed without an end was interrupted. */
export function statusOf(run: RunSummary): string {
  return run.status === 'running' && run.leaseExpiresAt === undefined ? 'interrupted' : run.status;
}

async function show(store: RunStore, id: string, json: boolean): Promise<number> {
  let runId = id;
  let entries = await store.read(runId);
  // Listed at most once: only to find a run by the start of its id, or from a store that
  // cannot summarise one run alone.
  let listed: readonly RunSummary[] | undefined;
  if (entries === undefined) {
    listed = await store.list();
    const summaries = listed;
    const match = summaries.filter((run) => run.runId.startsWith(id));
    if (match.length !== 1) {
      const known =
        summaries
          .slice(0, 5)
          .map((run) => run.runId)
          .join(', ') || 'none';
      console.error(
        `hotpath runs: ${match.length === 0 ? 'no run' : 'several runs start with'} \`${id}\`; the latest runs are ${known}`,
      );
      return 1;
    }
    runId = match[0]!.runId;
    entries = (await store.read(runId)) ?? [];
  }
  const summary =
    listed?.find((run) => run.runId === runId) ??
    (store.summary
      ? await store.summary(runId)
      : (await store.list()).find((run) => run.runId === runId));
  const status = summary && statusOf(summary);
  const trace = traceFromJournal(runId, entries, status === 'running' ? 'running' : 'interrupted');
  if (json) {
    console.log(JSON.stringify(trace, null, 2));
    return 0;
  }
  const head = `run ${runId}${summary ? ` (${status}, attempt ${summary.attempts})` : ''}, ${new Date(trace.startedAt).toISOString().replace(/\.\d+Z$/, 'Z')}`;
  console.log(
    [head, '', formatWaterfall(trace, { color: detectColor(process.stdout) })].join('\n'),
  );
  return 0;
}
