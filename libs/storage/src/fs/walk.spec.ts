import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WalkEntry } from '../object-store';
import { FsObjectStore } from './fs-object-store';
import { makeTempRoot, putObject } from './spec-helpers';

describe('FsObjectStore.walk', () => {
  let root: string;
  let bucketDir: string;
  let cleanup: () => Promise<void>;
  let store: FsObjectStore;

  beforeEach(async () => {
    ({ root, cleanup } = await makeTempRoot());
    bucketDir = join(root, 'bkt');
    store = new FsObjectStore({ root });
    await store.createBucket('bkt');
  });
  afterEach(() => cleanup());

  async function walked(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for await (const entry of store.walk('bkt')) {
      expect(out[entry.key]).toBeUndefined();
      expect(entry.mtimeMs).toBeGreaterThan(0);
      out[entry.key] = entry.size;
    }
    return out;
  }

  it('maps plain, shadow, marker and encoded files back to their keys', async () => {
    const keys = ['a', 'a/b', 'a/c/', 'x//y', '../up', '.myfsio.self', 'nul\0key', 'deep/er/still'];
    for (const key of keys) {
      await putObject(store, 'bkt', key, key);
    }
    expect(await walked()).toEqual(Object.fromEntries(keys.map((key) => [key, Buffer.byteLength(key)])));
  });

  it('skips hashed names, the long form, unknown reserved names and stray system files', async () => {
    await putObject(store, 'bkt', 'n'.repeat(300), 'hashed');
    await putObject(store, 'bkt', `${'/'.repeat(500)}z`, 'long');
    await putObject(store, 'bkt', 'kept', 'k');
    await mkdir(join(bucketDir, '.myfsio.unknown'));
    await writeFile(join(bucketDir, '.myfsio.unknown', 'f'), 'f');
    await writeFile(join(bucketDir, '.myfsio.dir'), 'root marker is no key');
    await writeFile(join(bucketDir, '.myfsio.tmp-1'), 'temp');
    expect(await walked()).toEqual({ kept: 1 });
  });

  it('reports files added behind the gateway, and does not follow directory symlinks', async () => {
    await mkdir(join(bucketDir, 'manual'));
    await writeFile(join(bucketDir, 'manual', 'file.txt'), 'hello');
    await symlink(bucketDir, join(bucketDir, 'loop'));
    expect(await walked()).toEqual({ 'manual/file.txt': 5 });
  });

  it('reports bytes at a conversion path only while the key has no other file', async () => {
    await mkdir(join(bucketDir, '.myfsio.cv-a'));
    await writeFile(join(bucketDir, '.myfsio.cv-a', '.myfsio.self'), 'held');
    expect(await walked()).toEqual({ a: 4 });
    await writeFile(join(bucketDir, 'a'), 'plain');
    expect(await walked()).toEqual({ a: 5 });
  });

  it('yields nothing for a missing bucket directory', async () => {
    const entries: WalkEntry[] = [];
    for await (const entry of store.walk('missing')) {
      entries.push(entry);
    }
    expect(entries).toEqual([]);
  });
});
