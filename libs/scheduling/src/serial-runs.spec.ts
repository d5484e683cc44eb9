import { SerialRuns } from './serial-runs';

describe('SerialRuns', () => {
  it('runs jobs one at a time in the order asked, and a failure does not stop the next', async () => {
    const runs = new SerialRuns();
    const order: string[] = [];
    let release!: () => void;
    const first = runs.run(async () => {
      order.push('first start');
      await new Promise<void>((resolve) => (release = resolve));
      order.push('first end');
      throw new Error('first failed');
    });
    const second = runs.run(() => {
      order.push('second');
      return Promise.resolve(2);
    });
    expect(runs.isRunning).toBe(true);
    await Promise.resolve();
    release();
    await expect(first).rejects.toThrow('first failed');
    await expect(second).resolves.toBe(2);
    expect(order).toEqual(['first start', 'first end', 'second']);
    await new Promise((resolve) => setImmediate(resolve));
    expect(runs.isRunning).toBe(false);
  });
});
