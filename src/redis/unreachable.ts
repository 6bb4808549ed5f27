import { HotpathError } from '../errors';

/** A Redis URL as messages show it: its credentials masked, as the runtime masks any URL's. */
export function maskRedisUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]+@/i, '$1[redacted]@');
}

/** Redis did not answer within `timeoutMs`: names the URL (masked) and the last error seen. */
function redisUnreachable(
  url: string,
  entry: string,
  timeoutMs: number,
  lastError: unknown,
): HotpathError {
  const seen =
    lastError === undefined
      ? 'no connection'
      : `no connection (${lastError instanceof Error ? lastError.message : String(lastError)})`;
  return new HotpathError({
    name: 'HotpathConnectionError',
    message: `Expected Redis at \`${maskRedisUrl(url)}\` to answer within ${timeoutMs} ms for \`${entry}\`, got ${seen}`,
    cause: lastError,
  });
}

/**
 * `ready` unless `signal` aborts first (rejects with its reason) or `timeoutMs` passes (rejects
 * with `onTimeout()`): a wait for a connection that ioredis retries forever, made to end.
 */
function raceReady<T>(
  ready: Promise<T>,
  signal: AbortSignal | undefined,
  timeoutMs: number,
  onTimeout: () => Error,
): Promise<T> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      done();
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      done();
      reject(onTimeout());
    }, timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    ready.then(
      (value) => {
        done();
        resolve(value);
      },
      (error: unknown) => {
        done();
        reject(error);
      },
    );
  });
}

/** Waits for Redis at one URL: {@link createRedisWait}. */
export interface RedisWait {
  /** Hears a client's `error` events: the last one is what a timeout names. */
  readonly onError: (error: unknown) => void;
  /** `ready` raced against `signal` and the timeout, which rejects naming the URL. */
  wait<T>(ready: Promise<T>, signal?: AbortSignal): Promise<T>;
}

/**
 * How `entry` waits for Redis at `url` for at most `timeoutMs`: each client's errors are heard,
 * and a wait that times out fails with {@link redisUnreachable}, naming the last error heard.
 */
export function createRedisWait(url: string, entry: string, timeoutMs: number): RedisWait {
  let lastError: unknown;
  return {
    onError(error) {
      lastError = error;
    },
    wait: (ready, signal) =>
      raceReady(ready, signal, timeoutMs, () => redisUnreachable(url, entry, timeoutMs, lastError)),
  };
}
