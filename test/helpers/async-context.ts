import { AsyncLocalStorage } from 'node:async_hooks';
import { type Context, context, ROOT_CONTEXT } from '@opentelemetry/api';

/**
 * Registers what `@opentelemetry/sdk-node` does (its `AsyncLocalStorageContextManager`): the
 * active span follows awaits, as in a Node app. Returns what unregisters it.
 */
export function registerAsyncContext(): () => void {
  const storage = new AsyncLocalStorage<Context>();
  context.setGlobalContextManager({
    active: () => storage.getStore() ?? ROOT_CONTEXT,
    with: (ctx, fn, thisArg, ...args) => storage.run(ctx, () => fn.call(thisArg, ...args)),
    bind: (_ctx, target) => target,
    enable() {
      return this;
    },
    disable() {
      storage.disable();
      return this;
    },
  });
  return () => context.disable();
}
