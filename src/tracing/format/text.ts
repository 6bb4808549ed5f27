import { ansiPattern, visibleWidth } from './ansi';

/** Escape sequences: CSI (colours, cursor moves), OSC (titles, links), and two-byte ones. */
const escapePattern =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding terminal controls is the point
  /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])|\x9b[0-?]*[ -/]*[@-~]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const controlPattern = /[\x00-\x1f\x7f-\x9f]/g;

/**
 * Text from outside the formatter (an error message, a warning, a step or model id read from a
 * log) made inert for a terminal: escape sequences are dropped, line breaks and tabs become spaces,
 * and any other control character becomes `�`. Only the colours the formatter paints itself reach
 * the terminal, and every character left takes one column.
 */
export function inert(text: string): string {
  return text
    .replace(escapePattern, '')
    .replace(/\r\n|[\n\r\t\v\f]/g, ' ')
    .replace(controlPattern, '\ufffd');
}

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
    const part = truncate(raw, width - (line === prefix ? visibleWidth(prefix) : indent));
    const separator = line === prefix || line.trim() === '' ? '' : joiner;
    if (line !== prefix && visibleWidth(line + separator + part) > width) {
      lines.push(line);
      line = ' '.repeat(indent) + part;
    } else line += separator + part;
  }
  lines.push(line);
  return lines;
}

/**
 * Shortens `text` to `width` columns with an ellipsis. The formatter's own colours take no
 * columns and are all kept, so a colour opened before the cut is still closed after it.
 */
export function truncate(text: string, width: number): string {
  if (visibleWidth(text) <= width) return text;
  let out = '';
  let room = Math.max(0, width - 1);
  let cut = false;
  let last = 0;
  const keep = (plain: string) => {
    for (const char of plain) {
      if (room > 0) {
        out += char;
        room -= 1;
      } else if (!cut) {
        out += '…';
        cut = true;
      }
    }
  };
  for (const match of text.matchAll(ansiPattern)) {
    keep(text.slice(last, match.index));
    out += match[0];
    last = match.index + match[0].length;
  }
  keep(text.slice(last));
  return out;
}

/** Pads plain `text` to `width` columns on the right. */
export function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - visibleWidth(text)));
}

/** Pads plain `text` to `width` columns on the left. */
export function padStart(text: string, width: number): string {
  return ' '.repeat(Math.max(0, width - visibleWidth(text))) + text;
}

/** A whole number with thousands separators (`12,345`), the same on every locale; `?` if not finite. */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return '?';
  return Math.round(value)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
