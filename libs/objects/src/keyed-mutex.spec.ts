import { KeyedMutex } from './keyed-mutex';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('KeyedMutex', () => {
  it('runs holders of one key one at a time, in arrival order', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    const job = (name: string) => async () => {
      log.push(`${name}:start`);
      await tick();
      await tick();
      log.push(`${name}:end`);
      return name;
    };
    const results = await Promise.all([
      mutex.runExclusive('k', job('a')),
      mutex.runExclusive('k', job('b')),
      mutex.runExclusive('k', job('c')),
    ]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['a:start', 'a:end', 'b:start', 'b:end', 'c:start', 'c:end']);
    expect(mutex.size).toBe(0);
  });

  it('runs different keys concurrently', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    const job = (name: string) => async () => {
      log.push(`${name}:start`);
      await tick();
      log.push(`${name}:end`);
    };
    await Promise.all([mutex.runExclusive('x', job('x')), mutex.runExclusive('y', job('y'))]);
    expect(log.slice(0, 2).sort()).toEqual(['x:start', 'y:start']);
  });

  it('releases the key when a holder throws', async () => {
    const mutex = new KeyedMutex();
    await expect(mutex.runExclusive('k', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(mutex.runExclusive('k', () => Promise.resolve(42))).resolves.toBe(42);
    expect(mutex.size).toBe(0);
  });
});

describe('KeyedMutex.acquireAll', () => {
  it('takes overlapping sets in sorted order, so opposite orders do not deadlock', async () => {
    const mutex = new KeyedMutex();
    const order: string[] = [];
    const run = async (name: string, keys: string[]) => {
      const release = await mutex.acquireAll(keys);
      order.push(name);
      await tick();
      release();
    };
    await Promise.all([run('first', ['a', 'b', 'c']), run('second', ['c', 'b', 'a']), run('third', ['b'])]);
    // All finish (no cycle); the two full sets contend on 'a' first, so they keep arrival order.
    expect(order.filter((n) => n !== 'third')).toEqual(['first', 'second']);
    expect(order).toHaveLength(3);
    expect(mutex.size).toBe(0);
  });

  it('makes a single holder wait for a set holder', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    const release = await mutex.acquireAll(['x', 'y']);
    const single = mutex.runExclusive('y', () => {
      log.push('single');
      return Promise.resolve();
    });
    await tick();
    log.push('release');
    release();
    await single;
    expect(log).toEqual(['release', 'single']);
  });
});
