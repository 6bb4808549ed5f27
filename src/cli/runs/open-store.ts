import { createFileRunStore } from '../../stores/node/file-run-store';
import type { RunStore } from '../../stores/run-store';

/** Where the CLI finds runs: `--store`, else `HOTPATH_STORE`, else `.hotpath`. */
export function storeLocation(flag: string | undefined): string {
  return flag ?? process.env.HOTPATH_STORE ?? '.hotpath';
}

/** A store for a folder or a `postgres://` URL (the PostgreSQL entry is loaded only then). */
export async function openStore(where: string): Promise<RunStore> {
  if (/^postgres(ql)?:\/\//.test(where)) {
    const { createPostgresRunStore } = await import('../../postgres/postgres-run-store');
    return createPostgresRunStore({ connectionString: where });
  }
  return createFileRunStore({ dir: where });
}
