import { existsSync, readdirSync } from 'node:fs';
import { createFileRunStore } from '../../stores/node/file-run-store';
import type { RunStore } from '../../stores/run-store';

/** Where the CLI finds runs: `--store`, else `HOTPATH_STORE`, else `.hotpath`. */
export function storeLocation(flag: string | undefined): string {
  return flag ?? process.env.HOTPATH_STORE ?? '.hotpath';
}

/**
 * A store for a folder or a `postgres://` URL (the PostgreSQL entry is loaded only then). A
 * database that cannot be reached, or a folder that holds something else than a store, is an
 * error that names it (a URL's password left out); a folder that does not exist holds no runs.
 */
export async function openStore(where: string): Promise<RunStore> {
  if (/^postgres(ql)?:\/\//.test(where)) {
    const { createPostgresRunStore } = await import('../../postgres/postgres-run-store');
    try {
      return await createPostgresRunStore({ connectionString: where });
    } catch (error) {
      throw new Error(
        `cannot open the run store at ${withoutPassword(where)}: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }
  if (existsSync(where) && !isStoreFolder(where)) {
    throw new Error(
      `\`${where}\` is not a run store: it has none of a store's runs/, leases/ and cache/ folders (pass --store DIR|URL)`,
    );
  }
  return createFileRunStore({ dir: where });
}

/** Whether `dir` is a folder a file run store made, or an empty one. */
function isStoreFolder(dir: string): boolean {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return false; // A file, or unreadable.
  }
  return names.length === 0 || ['runs', 'leases', 'cache'].some((name) => names.includes(name));
}

/** A store's location with a URL's password (if any) replaced by `***`, to be printed. */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
  }
}
