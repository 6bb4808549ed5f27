import { visibleWidth } from './ansi';

/**
 * Joins `parts` with `joiner` into lines of at most `width` columns; continuation lines are
 * indented by `indent` spaces. A part longer than a line gets a line of its own.
 */
export function joinWrapped(
  prefix: string,
  parts: readonly string[],
  width: number,
  indent = 2,
  joiner = ' · ',
): string[] {
  const lines: string[] = [];
  let line = prefix;
  for (const raw of parts) {
    // Error messages can be any length: a line never grows past `width` because of one.
    const part = raw.includes('\x1b') ? raw : truncate(raw, width - indent);
    const separator = line === prefix || line.trim() === '' ? '' : joiner;
    if (line !== prefix && visibleWidth(line + separator + part) > width) {
      lines.push(line);
      line = ' '.repeat(indent) + part;
    } else line += separator + part;
  }
  lines.push(line);
  return lines;
}

/** Shortens `text` to `width` columns with an ellipsis. */
export function truncate(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}

/** Pads plain `text` to `width` columns on the right. */
export function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - visibleWidth(text)));
}

/** Pads plain `text` to `width` columns on the left. */
export function padStart(text: string, width: number): string {
  return ' '.repeat(Math.max(0, width - visibleWidth(text))) + text;
}

/** A whole number with thousands separators (`12,345`), the same on every locale. */
export function formatCount(value: number): string {
  return Math.round(value)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
