import { benchOptimality } from './optimality';
import { type BenchRow, benchPlanning } from './planning';

/** A benchmark: a title and a function that measures and returns the table's rows. */
export interface BenchSuite {
  readonly title: string;
  readonly run: () => BenchRow[];
}

/** Every suite `npm run bench` runs, in order; add one here to extend the benchmark. */
export const suites: BenchSuite[] = [
  { title: 'Planning time (random chains, catalog models)', run: () => benchPlanning() },
  { title: 'Heuristic vs exact optimum (8 steps, 3 models)', run: () => benchOptimality() },
];

/** Rows as a markdown table; columns from the first row. */
export function formatMarkdownTable(rows: readonly BenchRow[]): string {
  if (rows.length === 0) return '(no rows)';
  const header = Object.keys(rows[0]!);
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [
    line(header),
    line(header.map(() => '---')),
    ...rows.map((row) => line(header.map((key) => row[key] ?? ''))),
  ].join('\n');
}

for (const suite of suites) {
  console.log(`## ${suite.title}\n\n${formatMarkdownTable(suite.run())}\n`);
}
