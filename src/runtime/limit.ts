/**
 * Runs `task` over every item with at most `concurrency` running at once and resolves to the
 * results in item order. The first failure calls `onFailure` (to stop the tasks in flight), and
 * tasks not yet started do not start; the promise rejects with that failure only once every task
 * that started has settled, so nothing it began still runs when the caller hears of it.
 */
export async function mapWithConcurrency<TItem, TResult>(
  items: readonly TItem[],
  concurrency: number,
  task: (item: TItem, index: number) => Promise<TResult>,
  onFailure?: (error: unknown) => void,
): Promise<TResult[]> {
  const results = new Array<TResult>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (failure === undefined && next < items.length) {
      const index = next++;
      try {
        results[index] = await task(items[index] as TItem, index);
      } catch (error) {
        if (failure === undefined) {
          failure = { error };
          onFailure?.(error);
        }
        return;
      }
    }
  };
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, worker);
  await Promise.all(workers);
  if (failure !== undefined) throw failure.error;
  return results;
}
