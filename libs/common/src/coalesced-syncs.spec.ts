import { CoalescedSyncs } from './coalesced-syncs';

/** A sync function whose calls the test completes by hand. */
function manualSyncs() {
  const calls: { name: string; done: () => void; fail: (err: Error) => void }[] = [];
  const syncs = new CoalescedSyncs(
    (name) =>
      new Promise<void>((resolve, reject) => {
        calls.push({ name, done: resolve, fail: reject });
      }),
  );
  return { syncs, calls };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('CoalescedSyncs', () => {
  it('runs one sync at once and queues one behind it for every caller that arrives meanwhile', async () => {
    const { syncs, calls } = manualSyncs();
    const first = syncs.sync('d');
    const waiting = Array.from({ length: 31 }, () => syncs.sync('d'));
    expect(calls).toHaveLength(1);
    let settled = 0;
    for (const w of waiting) {
      void w.then(() => settled++);
    }
    calls[0]!.done();
    await first;
    await flush();
    // The callers who came during the first sync are not covered by it: they wait for a second.
    expect(settled).toBe(0);
    expect(calls).toHaveLength(2);
    calls[1]!.done();
    await Promise.all(waiting);
    expect(calls).toHaveLength(2);
  });

  it('lets a caller join the queued sync only before it starts', async () => {
    const { syncs, calls } = manualSyncs();
    void syncs.sync('d');
    const queued = syncs.sync('d');
    calls[0]!.done();
    await flush();
    expect(calls).toHaveLength(2);
    // The second sync is running now: a new caller needs a third.
    const late = syncs.sync('d');
    calls[1]!.done();
    await queued;
    await flush();
    expect(calls).toHaveLength(3);
    calls[2]!.done();
    await late;
  });

  it('keeps names apart, passes failures to the callers of that sync, and recovers', async () => {
    const { syncs, calls } = manualSyncs();
    const a = syncs.sync('a');
    const b = syncs.sync('b');
    expect(calls.map((c) => c.name)).toEqual(['a', 'b']);
    calls[0]!.fail(new Error('EIO'));
    calls[1]!.done();
    await expect(a).rejects.toThrow('EIO');
    await b;
    const again = syncs.sync('a');
    expect(calls).toHaveLength(3);
    calls[2]!.done();
    await again;
  });
});
