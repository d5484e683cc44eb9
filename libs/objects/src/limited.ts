/**
 * Runs `fn` over `items` with at most `limit` calls in flight, resolving when all settle.
 * If any call rejects, the first rejection is rethrown once the others have finished.
 */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const failures: Error[] = [];
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      try {
        await fn(item);
      } catch (err) {
        failures.push(err instanceof Error ? err : new Error(String(err)));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  const [first] = failures;
  if (first !== undefined) {
    throw first;
  }
}
