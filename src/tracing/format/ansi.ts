/** Colours as functions; with colour off each is the identity, so callers never branch. */
export interface Paint {
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly red: (text: string) => string;
  readonly green: (text: string) => string;
  readonly yellow: (text: string) => string;
  readonly magenta: (text: string) => string;
  readonly cyan: (text: string) => string;
  readonly gray: (text: string) => string;
}

const codes = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  magenta: [35, 39],
  cyan: [36, 39],
  gray: [90, 39],
} as const;

/** ANSI colours when `color` is on, plain text otherwise. */
export function createPaint(color: boolean): Paint {
  const entries = Object.entries(codes).map(([name, [open, close]]) => [
    name,
    color
      ? (text: string) => (text ? `\x1b[${open}m${text}\x1b[${close}m` : text)
      : (text: string) => text,
  ]);
  return Object.fromEntries(entries) as Paint;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escapes is the point
export const ansiPattern = /\x1b\[[0-9;]*[A-Za-z]/g;

/** The text without ANSI escapes. */
export function stripAnsi(text: string): string {
  return text.replace(ansiPattern, '');
}

/** Columns the text takes in a terminal (escapes take none; every glyph used here takes one). */
export function visibleWidth(text: string): number {
  return [...stripAnsi(text)].length;
}
