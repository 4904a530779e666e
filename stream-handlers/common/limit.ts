/**
 * Runs `fn` over `items` with at most `concurrency` calls in flight. DynamoDB (and DynamoDB Local
 * even more) answers a steady stream of requests faster than a burst of hundreds at once.
 */
export async function forEachLimit<T>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
