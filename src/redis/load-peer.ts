import { HotpathError } from '../errors';

/**
 * Imports an optional peer (`ioredis`, `bullmq`), or throws at once with what to install:
 * BullMQ 6 without its driver loops on connection errors instead of failing.
 */
export async function loadPeer<T>(
  name: string,
  entry: string,
  importer: (name: string) => Promise<unknown> = (specifier) => import(specifier),
): Promise<T> {
  try {
    return (await importer(name)) as T;
  } catch (error) {
    throw new HotpathError({
      name: 'HotpathMissingPeerError',
      message: `Expected \`${name}\` to be installed for \`${entry}\` (npm install ${name}), but it could not be imported: ${error instanceof Error ? error.message : String(error)}`,
      cause: error,
    });
  }
}
