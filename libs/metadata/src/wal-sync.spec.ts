import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WalSyncer } from './wal-sync';

describe('WalSyncer', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wal-sync-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('fsyncs the log beside the database file', async () => {
    writeFileSync(join(dir, 'meta.db-wal'), 'frames');
    const wal = new WalSyncer(join(dir, 'meta.db'));
    await expect(wal.sync()).resolves.toBeUndefined();
  });

  it('settles every concurrent caller, each after a sync that began after its call', async () => {
    writeFileSync(join(dir, 'meta.db-wal'), 'frames');
    const wal = new WalSyncer(join(dir, 'meta.db'));
    const first = wal.sync();
    // Called while the first sync runs: these share one follow-up sync, not the running one.
    const second = wal.sync();
    const third = wal.sync();
    expect(second).toBe(third);
    expect(second).not.toBe(first);
    await expect(Promise.all([first, second, third])).resolves.toHaveLength(3);
  });

  it('rejects when the log cannot be synced, and recovers once it can', async () => {
    const wal = new WalSyncer(join(dir, 'meta.db'));
    await expect(wal.sync()).rejects.toMatchObject({ code: 'ENOENT' });
    writeFileSync(join(dir, 'meta.db-wal'), 'frames');
    await expect(wal.sync()).resolves.toBeUndefined();
  });
});
