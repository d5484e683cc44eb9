import { forEachLimited } from './limited';

describe('forEachLimited', () => {
  it('visits every item with at most `limit` calls in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const seen: number[] = [];
    await forEachLimited([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      seen.push(n);
      inFlight--;
    });
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(peak).toBe(3);
  });

  it('finishes the others, then rethrows the first failure', async () => {
    const seen: number[] = [];
    await expect(
      forEachLimited([1, 2, 3], 2, (n) => {
        seen.push(n);
        return n === 1 ? Promise.reject(new Error('one')) : Promise.resolve();
      }),
    ).rejects.toThrow('one');
    expect(seen).toEqual([1, 2, 3]);
  });
});
