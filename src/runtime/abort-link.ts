const children = new WeakMap<AbortSignal, Set<AbortController>>();

/** A controller that aborts with its parent, and a way to let go of it. */
export interface LinkedController {
  readonly controller: AbortController;
  unlink(): void;
}

/**
 * A controller that aborts when `parent` does. However many children a signal has, it gets one
 * listener: a run with hundreds of calls in flight stays under Node's listener warning, and
 * `AbortSignal.any` is not needed (edge runtimes lack it).
 */
export function linkController(parent: AbortSignal): LinkedController {
  const controller = new AbortController();
  if (parent.aborted) {
    controller.abort(parent.reason);
    return { controller, unlink: () => {} };
  }
  let linked = children.get(parent);
  if (linked === undefined) {
    const set = new Set<AbortController>();
    linked = set;
    children.set(parent, set);
    parent.addEventListener(
      'abort',
      () => {
        for (const child of set) child.abort(parent.reason);
        set.clear();
      },
      { once: true },
    );
  }
  const set = linked;
  set.add(controller);
  return { controller, unlink: () => set.delete(controller) };
}
