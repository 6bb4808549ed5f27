import type { LoggedRun } from '../../tracing/log/parse-log';

/** How many runs a problem names (the latest). */
const namedMatches = 5;

/**
 * The run `--run` names: the last run without one, else the run with that id, else the one run
 * whose id starts with it. A problem in words when none does, or when several do (picking one
 * would show a run the user did not mean).
 */
export function selectRun(
  runs: readonly LoggedRun[],
  id: string | undefined,
): { run: LoggedRun } | { problem: string } {
  if (id === undefined) return { run: runs.at(-1)! };
  const exact = runs.find((run) => run.runId === id);
  if (exact !== undefined) return { run: exact };
  const matches = runs.filter((run) => run.runId.startsWith(id));
  if (matches.length === 1) return { run: matches[0]! };
  if (matches.length === 0) {
    const known = runs
      .slice(-namedMatches)
      .map((run) => run.runId)
      .join(', ');
    return { problem: `no run \`${id}\`; the last runs are ${known}` };
  }
  const named = matches.map((run) => run.runId).slice(-namedMatches);
  const more = matches.length - named.length;
  return {
    problem: `several runs start with \`${id}\`: ${named.join(', ')}${more > 0 ? ` and ${more} more` : ''}; give more of the id`,
  };
}
