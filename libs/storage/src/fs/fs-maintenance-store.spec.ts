import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { FsObjectStore } from './fs-object-store';
import { listFiles, makeTempRoot, putObject } from './spec-helpers';

const HOUR = 3_600_000;

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) {
    out.push(item);
  }
  return out;
}

async function age(path: string, ms: number): Promise<void> {
  const then = new Date(Date.now() - ms);
  await utimes(path, then, then);
}

describe('FsMaintenanceStore', () => {
  let root: string;
  let cleanup: () => Promise<void>;
  let store: FsObjectStore;

  beforeEach(async () => {
    ({ root, cleanup } = await makeTempRoot());
    store = new FsObjectStore({ root });
    await store.createBucket('bkt');
  });
  afterEach(() => cleanup());

  it('lists temp files but never one this process holds staged, and removes only old ones', async () => {
    const staged = await store.stage(Readable.from([Buffer.from('in flight')]));
    const tmp = join(root, '.myfsio.sys/tmp');
    await writeFile(join(tmp, 'old.tmp'), 'crashed');
    await writeFile(join(tmp, 'new.tmp'), 'recent');
    await age(join(tmp, 'old.tmp'), 2 * HOUR);
    const names = (await collect(store.maintenance.tempFiles())).map((f) => f.name).sort();
    expect(names).toEqual(['new.tmp', 'old.tmp']);
    expect(await store.maintenance.removeTempFile('new.tmp', HOUR)).toBe(false);
    expect(await store.maintenance.removeTempFile('old.tmp', HOUR)).toBe(true);
    expect(await store.maintenance.removeTempFile('old.tmp', HOUR)).toBe(false);
    await expect(store.maintenance.removeTempFile('../bkt', HOUR)).rejects.toThrow(RangeError);
    await staged.discard();
  });

  it('lists upload part directories with their size and newest mtime', async () => {
    const part = await store.stagePart('up1', 1, Readable.from([Buffer.from('12345')]));
    await part.publish();
    const dirs = await collect(store.maintenance.uploadPartDirs());
    expect(dirs).toEqual([{ uploadId: 'up1', size: 5, mtimeMs: expect.any(Number) }]);
  });

  it('classifies conversion claims and removes the empty and superseded ones once old', async () => {
    const bucket = join(root, 'bkt');
    await mkdir(join(bucket, 'd/.myfsio.cv-empty'), { recursive: true });
    await putObject(store, 'bkt', 'd/a', 'current');
    await mkdir(join(bucket, 'd/.myfsio.cv-a'));
    await writeFile(join(bucket, 'd/.myfsio.cv-a/.myfsio.self'), 'old copy');
    await mkdir(join(bucket, '.myfsio.cv-b'));
    await writeFile(join(bucket, '.myfsio.cv-b/.myfsio.self'), 'only copy');
    const claims = await collect(store.maintenance.conversionClaims('bkt'));
    const byPath = Object.fromEntries(claims.map((c) => [c.path, c.state]));
    expect(byPath).toEqual({
      'd/.myfsio.cv-empty': 'empty',
      'd/.myfsio.cv-a': 'superseded',
      '.myfsio.cv-b': 'interrupted',
    });

    // Young claims are kept whatever they hold.
    expect(await store.maintenance.removeConversionClaim('bkt', 'd/.myfsio.cv-empty', HOUR)).toBeNull();
    for (const path of ['d/.myfsio.cv-empty', 'd/.myfsio.cv-a', '.myfsio.cv-b']) {
      await age(join(bucket, path), 2 * HOUR);
    }
    expect(await store.maintenance.removeConversionClaim('bkt', 'd/.myfsio.cv-empty', HOUR)).toBe(0);
    expect(await store.maintenance.removeConversionClaim('bkt', 'd/.myfsio.cv-a', HOUR)).toBe(8);
    expect(await store.maintenance.removeConversionClaim('bkt', '.myfsio.cv-b', HOUR)).toBeNull();
    expect(await listFiles(bucket)).toEqual(['.myfsio.cv-b/.myfsio.self', 'd/a']);
  });

  it('reports empty directories deepest first and never the bucket or a folder marker', async () => {
    const bucket = join(root, 'bkt');
    await mkdir(join(bucket, 'e1/e2/e3'), { recursive: true });
    await putObject(store, 'bkt', 'keep/', '');
    await putObject(store, 'bkt', 'x/y', 'data');
    const found: string[] = [];
    for await (const dir of store.maintenance.emptyDirectories('bkt')) {
      found.push(dir.path);
      expect(await store.maintenance.removeEmptyDirectory('bkt', dir.path)).toBe(true);
    }
    expect(found).toEqual(['e1/e2/e3', 'e1/e2', 'e1']);
    expect(await listFiles(bucket)).toEqual(['keep/.myfsio.dir', 'x/y']);
    expect(await store.maintenance.removeEmptyDirectory('bkt', 'x')).toBe(false);
    await expect(store.maintenance.removeEmptyDirectory('bkt', '../bkt')).rejects.toThrow(RangeError);
    // A publish into a removed (cached) directory redoes the chain.
    await putObject(store, 'bkt', 'e1/e2/e3/new', 'n');
    expect(await listFiles(bucket)).toContain('e1/e2/e3/new');
  });

  it('lists version files by storage path and removes them, pruning emptied directories', async () => {
    const dir = join(root, '.myfsio.sys/versions/bkt/ab');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'v1'), 'v1 bytes');
    const files = await collect(store.maintenance.versionFiles());
    expect(files).toEqual([{ name: '.myfsio.sys/versions/bkt/ab/v1', size: 8, mtimeMs: expect.any(Number) }]);
    expect(await store.maintenance.removeVersionFile('.myfsio.sys/versions/bkt/ab/v1')).toBe(true);
    expect(await listFiles(join(root, '.myfsio.sys'))).toEqual([]);
    expect(await collect(store.maintenance.versionFiles())).toEqual([]);
    await expect(store.maintenance.removeVersionFile('bkt/x')).rejects.toThrow(RangeError);
  });
});
