/** One row of a benchmark table: column name to cell. */
export type BenchRow = Record<string, string>;

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
