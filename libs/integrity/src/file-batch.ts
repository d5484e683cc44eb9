import { compareUtf8 } from '@myfsio/metadata';

/**
 * The `limit` smallest keys (UTF-8 byte order) strictly after `afterKey` among `entries`, sorted,
 * with bounded memory: a walk yields files in directory order, so a batch that resumes from a
 * key is chosen from the whole walk, keeping at most 2 × limit candidates at a time.
 */
export async function smallestAfter<T extends { key: string }>(
  entries: AsyncIterable<T>,
  afterKey: string | null,
  limit: number,
): Promise<T[]> {
  const byKey = (a: T, b: T) => compareUtf8(a.key, b.key);
  let kept: T[] = [];
  for await (const entry of entries) {
    if (afterKey !== null && compareUtf8(entry.key, afterKey) <= 0) {
      continue;
    }
    kept.push(entry);
    if (kept.length >= 2 * limit) {
      kept = kept.sort(byKey).slice(0, limit);
    }
  }
  return kept.sort(byKey).slice(0, limit);
}
