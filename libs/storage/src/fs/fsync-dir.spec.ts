import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fsyncDir } from './fs-helpers';

describe('fsyncDir', () => {
  it('syncs a real directory and reports a missing one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fsync-dir-'));
    try {
      await Promise.all(Array.from({ length: 8 }, () => fsyncDir(dir)));
      await expect(fsyncDir(join(dir, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
      await expect(fsyncDir(dir)).resolves.toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
