import { describeEachDialect } from '../support/db-matrix';
import { newBucket, useMetadataDb } from './harness';

describeEachDialect('OutboxRepository', (entry) => {
  const db = useMetadataDb(entry);

  it('keeps a message only when its transaction commits', async () => {
    const h = db();
    const start = await h.outbox.count();
    await expect(
      h.uow.run(async (tx) => {
        await h.outbox.enqueue(tx, 'notify', { key: 'lost' });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const id = await h.uow.run((tx) => h.outbox.enqueue(tx, 'notify', { key: 'kept', n: 1 }));
    expect(typeof id).toBe('number');
    expect(await h.outbox.count()).toBe(start + 1);
    const [message] = await h.outbox.claim(10, 'w1', 60_000);
    expect(message).toMatchObject({ id, topic: 'notify', payload: { key: 'kept', n: 1 }, attempts: 1 });
    expect(await h.outbox.complete(id)).toBe(true);
    expect(await h.outbox.complete(id)).toBe(false);
  });

  it('leases messages so concurrent workers never claim the same one', async () => {
    const h = db();
    await h.uow.run(async (tx) => {
      for (let i = 0; i < 10; i++) {
        await h.outbox.enqueue(tx, 'replicate', { i });
      }
    });
    const claims = await Promise.all(['w1', 'w2', 'w3'].map((w) => h.outbox.claim(4, w, 60_000)));
    const ids = claims.flat().map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    // Locked rows are skipped, not waited for, so the three workers share the ten messages.
    expect(ids.length).toBe(10);
    expect(await h.outbox.claim(10, 'w4', 60_000)).toEqual([]);
    for (const id of ids) {
      await h.outbox.complete(id);
    }
  });

  it('returns failed and expired-lease messages for another attempt', async () => {
    const h = db();
    const id = await h.uow.run((tx) => h.outbox.enqueue(tx, 'retry-me', {}));
    expect((await h.outbox.claim(1, 'w1', 60_000)).map((m) => m.id)).toEqual([id]);
    expect(await h.outbox.fail(id, new Date(Date.now() + 3_600_000))).toBe(true);
    expect(await h.outbox.claim(1, 'w1', 60_000)).toEqual([]);
    expect(await h.outbox.fail(id, new Date(Date.now() - 1))).toBe(true);
    // A lease of 0 ms expires at once, as if the worker had crashed.
    expect((await h.outbox.claim(1, 'w2', 0)).map((m) => [m.id, m.attempts])).toEqual([[id, 2]]);
    expect((await h.outbox.claim(1, 'w3', 60_000)).map((m) => [m.id, m.attempts])).toEqual([[id, 3]]);
    await h.outbox.complete(id);
  });
});

describeEachDialect('SystemStateRepository and BucketConfigRepository', (entry) => {
  const db = useMetadataDb(entry);

  it('sets, replaces and deletes state values', async () => {
    const h = db();
    expect(await h.state.get('schema_note')).toBeNull();
    await h.state.set(null, 'schema_note', 'one');
    await h.uow.run((tx) => h.state.set(tx, 'schema_note', 'two ✓'));
    expect(await h.state.get('schema_note')).toBe('two ✓');
    expect(await h.state.delete(null, 'schema_note')).toBe(true);
    expect(await h.state.get('schema_note')).toBeNull();
  });

  it('stores one document per bucket and kind', async () => {
    const h = db();
    const bucket = await newBucket(h);
    const big = JSON.stringify({
      Rules: Array.from({ length: 2000 }, (_, i) => ({
        ID: `rule-${i}`,
        Prefix: `some/longer/prefix/${i}/`,
      })),
    });
    expect(big.length).toBeGreaterThan(65_536);
    await h.configs.put(null, bucket.id, 'lifecycle', big);
    await h.configs.put(null, bucket.id, 'policy', '{"v":1}');
    await h.uow.run((tx) => h.configs.put(tx, bucket.id, 'policy', '{"v":2}'));
    expect((await h.configs.get(bucket.id, 'lifecycle'))?.document).toBe(big);
    expect(await h.configs.get(bucket.id, 'policy')).toMatchObject({
      bucketId: bucket.id,
      kind: 'policy',
      document: '{"v":2}',
    });
    expect((await h.configs.list(bucket.id)).map((c) => c.kind)).toEqual(['lifecycle', 'policy']);
    expect(await h.configs.delete(null, bucket.id, 'policy')).toBe(true);
    expect(await h.configs.delete(null, bucket.id, 'policy')).toBe(false);
    expect(await h.configs.get(bucket.id, 'cors')).toBeNull();
  });
});
