import { InvalidArgumentError } from '../errors';
import { assertKnownKeys, assertMethods } from '../errors/option-checks';
import type { RunStore } from '../stores/run-store';
import type { MapExecutor } from './map-executor';
import type { SharedLimits } from './shared-limits';

/** What an object the runtime calls into must have, and how the messages name it. */
interface PlugIn {
  /** Methods it must have. */
  readonly methods: readonly string[];
  /** Methods it may leave out, but that must be functions when there. */
  readonly optional?: readonly string[];
  /** What it is, with an example: ``a run store (such as `createMemoryRunStore()`)``. */
  readonly what: string;
  /** How a promise of one is awaited, for the hint. */
  readonly awaited: string;
}

/** What a `RunStore` must have (its `close` is optional). */
const store: PlugIn = {
  methods: [
    'append',
    'read',
    'list',
    'lease',
    'release',
    'getCached',
    'putCached',
    'clearCache',
  ] satisfies (keyof RunStore)[],
  what: 'a run store (such as `createMemoryRunStore()`)',
  awaited: '`store: await createPostgresRunStore(...)`',
};

const sharedLimits: PlugIn = {
  methods: ['acquire'] satisfies (keyof SharedLimits)[],
  optional: ['budget'] satisfies (keyof SharedLimits)[],
  what: 'shared limits (such as `createRedisLimits({ url })`)',
  awaited: '`sharedLimits: await makeLimits()`',
};

const executor: PlugIn = {
  methods: ['runItems'] satisfies (keyof MapExecutor)[],
  what: 'a map executor (such as `createBullmqExecutor({ connection })`)',
  awaited: '`executor: await makeExecutor()`',
};

/** Checks `createRuntime`'s `store`: a run store, not a promise of one. */
export function checkStore(value: unknown): void {
  checkPlugIn('store', value, store);
}

/** Checks `createRuntime`'s `sharedLimits`: an object with `acquire` (and maybe `budget`). */
export function checkSharedLimits(value: unknown): void {
  checkPlugIn('sharedLimits', value, sharedLimits);
}

/** Checks `createRuntime`'s `executor`: an object with `runItems`. */
export function checkExecutor(value: unknown): void {
  checkPlugIn('executor', value, executor);
}

/** Checks `createRuntime`'s `cache`: a boolean or `{ ttlMs }`, and only with a `store`. */
export function checkCache(value: unknown, hasStore: boolean): void {
  if (typeof value !== 'boolean') {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new InvalidArgumentError({
        argument: 'cache',
        expected: 'a boolean or `{ ttlMs }`',
        value,
      });
    }
    assertKnownKeys(value, ['ttlMs'], 'createRuntime', 'cache.');
    const { ttlMs } = value as { ttlMs?: unknown };
    if (ttlMs !== undefined && !(typeof ttlMs === 'number' && ttlMs > 0)) {
      throw new InvalidArgumentError({
        argument: 'cache.ttlMs',
        expected: 'a number of ms above 0',
        value: ttlMs,
      });
    }
  }
  if (value !== false && !hasStore) {
    throw new InvalidArgumentError({
      argument: 'cache',
      message: 'Expected `cache` to be used with a `store` (the cache keeps results there)',
    });
  }
}

function checkPlugIn(argument: string, value: unknown, plugIn: PlugIn): void {
  const given = value as Record<string, unknown> | null;
  if (typeof given?.then === 'function') {
    throw new InvalidArgumentError({
      argument,
      message: `Expected \`${argument}\` to be ${plugIn.what.replace(/ \(.*\)$/, '')}, got a promise: \`await\` the factory first (${plugIn.awaited})`,
    });
  }
  assertMethods(argument, value, plugIn.what, plugIn.methods, plugIn.optional);
}
