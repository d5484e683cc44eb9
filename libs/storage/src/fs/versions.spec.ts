import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { FsObjectStore } from './fs-object-store';
import { listFiles, makeTempRoot, putObject, readObject } from './spec-helpers';
import { checkVersionPath, versionStoragePath } from './versions';

describe('version files', () => {
  let root: string;
  let cleanup: () => Promise<void>;
  let store: FsObjectStore;

  beforeEach(async () => {
    ({ root, cleanup } = await makeTempRoot());
    store = new FsObjectStore({ root });
    await store.createBucket('bkt');
  });
  afterEach(() => cleanup());

  describe('versionStoragePath', () => {
    it('hashes the key into a fixed-depth path of the system area', () => {
      const path = versionStoragePath('bkt', 'a/b.txt', 'v1');
      expect(path).toMatch(/^\.myfsio\.sys\/versions\/bkt\/[0-9a-f]{2}\/[0-9a-f]{64}\/v1$/);
      expect(versionStoragePath('bkt', 'a/b.txt', 'null')).toBe(path.replace(/v1$/, 'null'));
      expect(versionStoragePath('bkt', 'a/b.txt/v1', 'v1')).not.toBe(path);
    });

    it('encodes version ids that are not plain names', () => {
      expect(versionStoragePath('bkt', 'k', '..')).toMatch(/\/b64\.Li4$/);
      expect(versionStoragePath('bkt', 'k', 'a/b')).toMatch(/\/b64\.YS9i$/);
    });

    it('refuses paths outside the versions area', () => {
      expect(() => checkVersionPath('bkt/a')).toThrow(RangeError);
      expect(() => checkVersionPath('.myfsio.sys/versions/bkt/aa/../x')).toThrow(RangeError);
      expect(() => checkVersionPath(versionStoragePath('bkt', 'k', 'v'))).not.toThrow();
    });
  });

  it('preserves the current bytes as a version while the plain file stays', async () => {
    await putObject(store, 'bkt', 'dir/k', 'first');
    const path = await store.preserveVersion('bkt', 'dir/k', 'v1');
    expect(path).toBe(versionStoragePath('bkt', 'dir/k', 'v1'));
    await putObject(store, 'bkt', 'dir/k', 'second!');
    expect(await readObject(store, 'bkt', 'dir/k')).toBe('second!');
    expect(await readFile(join(root, path!), 'utf8')).toBe('first');
    const reader = await store.openVersion(path!, { start: 1, end: 3 });
    expect((await buffer(reader!.stream)).toString()).toBe('irs');
    expect(reader!.size).toBe(5);
  });

  it('returns null when the key has no file, and openVersion null for a missing version', async () => {
    expect(await store.preserveVersion('bkt', 'nothing', 'v1')).toBeNull();
    expect(await store.openVersion(versionStoragePath('bkt', 'nothing', 'v1'))).toBeNull();
  });

  it('preserves a shadowed object (a beside a/b)', async () => {
    await putObject(store, 'bkt', 'a', 'self');
    await putObject(store, 'bkt', 'a/b', 'child');
    const path = await store.preserveVersion('bkt', 'a', 'v1');
    expect(await readFile(join(root, path!), 'utf8')).toBe('self');
  });

  it('replaces a leftover of an interrupted attempt', async () => {
    await putObject(store, 'bkt', 'k', 'old');
    await store.preserveVersion('bkt', 'k', 'null');
    await putObject(store, 'bkt', 'k', 'new');
    const path = await store.preserveVersion('bkt', 'k', 'null');
    expect(await readFile(join(root, path!), 'utf8')).toBe('new');
  });

  it('restores a version to the plain path and keeps the version file until removed', async () => {
    await putObject(store, 'bkt', 'k', 'v1 bytes');
    const path = (await store.preserveVersion('bkt', 'k', 'v1'))!;
    await putObject(store, 'bkt', 'k', 'v2 bytes!');
    expect(await store.restoreVersion(path, 'bkt', 'k')).toBe(true);
    expect(await readObject(store, 'bkt', 'k')).toBe('v1 bytes');
    expect(await readFile(join(root, path), 'utf8')).toBe('v1 bytes');
    await store.removeVersion(path);
    await store.removeVersion(path);
    await expect(stat(join(root, path))).rejects.toMatchObject({ code: 'ENOENT' });
    // The emptied key directories are pruned; no temp file is left behind.
    expect((await listFiles(join(root, '.myfsio.sys'))).filter((f) => !f.startsWith('meta'))).toEqual([]);
  });

  it('restores into a removed key and answers false for a missing version file', async () => {
    await putObject(store, 'bkt', 'gone/k', 'bytes');
    const path = (await store.preserveVersion('bkt', 'gone/k', 'v1'))!;
    await store.remove('bkt', 'gone/k');
    expect(await readObject(store, 'bkt', 'gone/k')).toBeNull();
    expect(await store.restoreVersion(path, 'bkt', 'gone/k')).toBe(true);
    expect(await readObject(store, 'bkt', 'gone/k')).toBe('bytes');
    expect(await store.restoreVersion(versionStoragePath('bkt', 'x', 'v9'), 'bkt', 'x')).toBe(false);
  });
});
