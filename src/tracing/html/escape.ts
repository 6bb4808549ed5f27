const entities: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text safe inside HTML elements and quoted attributes. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (char) => entities[char]!);
}

/** A percentage for inline styles, rounded to keep the file small. */
export function percent(value: number): string {
  // A time that is not a number (a trace built by hand) draws nothing rather than `NaN%`.
  return Number.isFinite(value)
    ? `${Math.max(0, Math.min(100, value * 100)).toFixed(2)}%`
    : '0.00%';
}
