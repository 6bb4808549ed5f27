import { canonicalModelId } from '../../models/catalog';
import type { ProfileOverrides } from '../../models/profile-overrides';

/**
 * `fresh` written over the `earlier` contents of an overrides file: a model measured again gets
 * its new figures (an old id of it is replaced too), and every other model keeps its earlier
 * override, so a run over part of the logs drops nothing. `kept` lists those earlier models.
 */
export function mergeOverrides(
  earlier: ProfileOverrides | undefined,
  fresh: ProfileOverrides,
): { overrides: ProfileOverrides; kept: string[] } {
  const measured = new Set(Object.keys(fresh.models).map(canonicalModelId));
  const earlierKept = Object.entries(earlier?.models ?? {}).filter(
    ([id]) => !measured.has(canonicalModelId(id)),
  );
  const models = Object.fromEntries(
    [...earlierKept, ...Object.entries(fresh.models)].sort(([a], [b]) => (a < b ? -1 : 1)),
  );
  return { overrides: { ...fresh, models }, kept: earlierKept.map(([id]) => id) };
}

/**
 * What an existing `--out` file holds, read to merge into: overrides, or why it is none (a trace
 * log or any other file is not overwritten).
 */
export function readEarlierOverrides(
  text: string,
): { overrides: ProfileOverrides } | { problem: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { problem: 'it is not JSON' };
  }
  const { version, models } = (parsed ?? {}) as { version?: unknown; models?: unknown };
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return { problem: `it holds \`${text.trim().slice(0, 40)}\`, not an object with \`models\`` };
  if (typeof models !== 'object' || models === null || Array.isArray(models))
    return { problem: 'it has no `models` object' };
  if (version !== undefined && version !== 1)
    return { problem: `it is of \`version\` ${String(version)}; this hotpath writes version 1` };
  return { overrides: parsed as ProfileOverrides };
}
