import { formatTable } from '../../scheduler/explain';
import { truncate } from './text';

/** The narrowest a shortened id gets: enough for `step…` to still say which. */
const minCell = 6;

/**
 * The step table in `width` columns. Narrow terminals first lose the columns the bars already
 * tell (`lane`, then `ttft`), then long step and model ids (the first two columns) are cut with
 * an ellipsis, and only then is `in` dropped.
 */
export function fitTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  width: number,
): string[] {
  const tries: { drop: readonly string[]; cut: boolean }[] = [
    { drop: [], cut: false },
    { drop: ['lane'], cut: false },
    { drop: ['lane', 'ttft'], cut: false },
    { drop: ['lane', 'ttft'], cut: true },
    { drop: ['lane', 'ttft', 'in'], cut: true },
  ];
  let lines: string[] = [];
  for (const { drop, cut } of tries) {
    const keep = header.map((title) => !drop.includes(title));
    const pick = (cells: readonly string[]) => cells.filter((_, column) => keep[column]);
    const picked = rows.map(pick);
    lines = formatTable(pick(header), picked);
    if (cut) lines = formatTable(pick(header), cutIds(picked, widthOf(lines) - width));
    if (widthOf(lines) <= width) return lines;
  }
  return lines;
}

function widthOf(lines: readonly string[]): number {
  return Math.max(0, ...lines.map((line) => [...line].length));
}

/** The rows with their first two cells cut to one cap, so the table is `over` columns narrower. */
function cutIds(rows: readonly (readonly string[])[], over: number): string[][] {
  const widths = [0, 1].map((column) =>
    Math.max(0, ...rows.map((row) => [...(row[column] ?? '')].length)),
  );
  const room = widths[0]! + widths[1]! - Math.max(0, over);
  let cap = Math.max(...widths);
  while (cap > minCell && Math.min(widths[0]!, cap) + Math.min(widths[1]!, cap) > room) cap -= 1;
  return rows.map((row) => row.map((cell, column) => (column < 2 ? truncate(cell, cap) : cell)));
}
