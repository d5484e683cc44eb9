import { smallestAfter } from './file-batch';

function from(keys: string[]): AsyncIterable<{ key: string }> {
  return (async function* () {
    for (const key of keys) {
      await Promise.resolve();
      yield { key };
    }
  })();
}

describe('smallestAfter', () => {
  const keys = ['m', 'b', 'z', 'a/b', 'a', 'é', 'c', 'a.txt', 'y', 'd'];

  it('returns the next keys in UTF-8 byte order, resuming after a key', async () => {
    const first = await smallestAfter(from(keys), null, 4);
    expect(first.map((e) => e.key)).toEqual(['a', 'a.txt', 'a/b', 'b']);
    const second = await smallestAfter(from(keys), 'b', 4);
    expect(second.map((e) => e.key)).toEqual(['c', 'd', 'm', 'y']);
    const last = await smallestAfter(from(keys), 'y', 4);
    expect(last.map((e) => e.key)).toEqual(['z', 'é']);
    expect(await smallestAfter(from(keys), 'é', 4)).toEqual([]);
  });

  it('visits every key exactly once across batches, whatever the walk order', async () => {
    const many = Array.from({ length: 250 }, (_, i) => `k${(i * 7919) % 1000}`);
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const batch: { key: string }[] = await smallestAfter(from(many), after, 16);
      if (batch.length === 0) {
        break;
      }
      seen.push(...batch.map((e) => e.key));
      after = batch[batch.length - 1]!.key;
    }
    expect(seen).toEqual([...many].sort());
  });
});
