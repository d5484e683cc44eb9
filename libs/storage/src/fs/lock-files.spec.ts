import { readdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { THIS_PROCESS } from '@myfsio/common';
import { LockFiles } from './lock-files';
import { makeTempRoot } from './spec-helpers';

describe('LockFiles', () => {
  let root: string;
  let cleanup: () => Promise<void>;
  const dir = () => join(root, 'locks');

  beforeEach(async () => {
    ({ root, cleanup } = await makeTempRoot());
  });
  afterEach(() => cleanup());

  it('lets one holder at a time in across instances sharing the directory', async () => {
    // Two instances stand for two gateway processes.
    const a = new LockFiles(dir());
    const b = new LockFiles(dir());
    const events: string[] = [];
    const hold = async (locks: LockFiles, who: string) => {
      const release = await locks.acquire('bucket\0key');
      events.push(`${who} in`);
      await new Promise((r) => setTimeout(r, 15));
      events.push(`${who} out`);
      await release();
    };
    await Promise.all([hold(a, 'a1'), hold(b, 'b1'), hold(a, 'a2'), hold(b, 'b2')]);
    expect(events).toHaveLength(8);
    for (let i = 0; i < events.length; i += 2) {
      expect(events[i]!.replace(' in', '')).toBe(events[i + 1]!.replace(' out', ''));
    }
    expect(await readdir(dir())).toEqual([]);
  });

  it('does not make different names wait for each other', async () => {
    const locks = new LockFiles(dir());
    const one = await locks.acquire('one');
    const two = await locks.acquire('two');
    expect(await readdir(dir())).toHaveLength(2);
    await Promise.all([one(), two()]);
    await one();
  });

  it('breaks a lock file nobody refreshed for the stale limit', async () => {
    const locks = new LockFiles(dir(), 1000);
    const release = await locks.acquire('k');
    const [name] = await readdir(dir());
    // The holder died without releasing: its file stops being refreshed.
    const past = new Date(Date.now() - 5000);
    await utimes(join(dir(), name!), past, past);
    const next = await locks.acquire('k');
    // The dead holder's late release must not remove the new holder's file.
    await release();
    expect(await readdir(dir())).toEqual([name]);
    await next();
    expect(await readdir(dir())).toEqual([]);
  });

  it('breaks at once a lock file left by the predecessor of this process', async () => {
    const predecessor = new LockFiles(dir(), 60_000, { ...THIS_PROCESS, incarnation: 'before-restart' });
    await predecessor.acquire('k'); // never released: the process was killed
    const started = Date.now();
    const release = await new LockFiles(dir(), 60_000).acquire('k');
    expect(Date.now() - started).toBeLessThan(5_000);
    await release();
    expect(await readdir(dir())).toEqual([]);
  });

  it('waits for a fresh lock file that another process holds', async () => {
    const locks = new LockFiles(dir(), 60_000);
    const release = await locks.acquire('k');
    const [name] = await readdir(dir());
    let acquired = false;
    const waiter = locks.acquire('k').then((r) => {
      acquired = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(acquired).toBe(false);
    await writeFile(join(dir(), `${name}.unrelated`), '');
    await release();
    await (
      await waiter
    )();
    expect(acquired).toBe(true);
  });
});
