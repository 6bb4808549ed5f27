import type { ModelPool, PoolModel } from './pool';

// Kept beside the models, not on them: a property would show in `JSON.stringify(pool)` and in
// `console.log(pool)`, which is exactly where a key must never appear.
const secretsByModel = new WeakMap<PoolModel, readonly string[]>();

/**
 * Remembers the secrets a pool model was built with (its API key, the credentials in its base
 * URL), so that the runtime can mask them wherever an error message leaves the process.
 */
export function rememberSecrets(
  entry: PoolModel,
  apiKey: string | undefined,
  baseURL?: string,
): PoolModel {
  const values = [apiKey, ...credentialsOfUrl(baseURL)].filter(
    (value): value is string => typeof value === 'string' && value !== '',
  );
  if (values.length > 0) secretsByModel.set(entry, values);
  return entry;
}

/** Every secret the pool's models were built with. */
export function secretsOfPool(pool: ModelPool): string[] {
  return pool.models.flatMap((entry) => secretsByModel.get(entry) ?? []);
}

/** The user name and password in a URL, decoded and as written (none when it has none). */
export function credentialsOfUrl(url: string | undefined): string[] {
  if (!url?.includes('@')) return [];
  try {
    const { username, password } = new URL(url);
    return [username, password]
      .filter((part) => part !== '')
      .flatMap((part) => [part, decodeURIComponent(part)]);
  } catch {
    return [];
  }
}
