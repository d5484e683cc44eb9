import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as helpers from './fs-helpers';
import { FsObjectStore } from './fs-object-store';
import { KeyedMutex } from './keyed-mutex';
import { listFiles, makeTempRoot, putObject, readObject } from './spec-helpers';

// Counts and fails directory fsyncs; the real one runs unless a test says otherwise.
jest.mock('./fs-helpers', () => {
  const actual = jest.requireActual<typeof import('./fs-helpers')>('./fs-helpers');
  return { ...actual, fsyncDir: jest.fn(actual.fsyncDir) };
});
const fsyncDir = jest.mocked(helpers.fsyncDir);
const realFsyncDir = jest.requireActual<typeof import('./fs-helpers')>('./fs-helpers').fsyncDir;

describe('FsObjectStore.removeMany', () => {
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
  afterEach(async () => {
    fsyncDir.mockReset().mockImplementation(realFsyncDir);
    await cleanup();
  });

  const put = async (...keys: string[]): Promise<void> => {
    for (const key of keys) {
      await putObject(store, 'bkt', key, `<${key}>`);
    }
  };

  it('removes the files of a batch and fsyncs each directory that lost entries once', async () => {
    const keys = Array.from({ length: 100 }, (_, i) => `d/r0/k${i}`);
    await put(...keys, 'd/r1/x', 'd/r1/y', 'top');
    fsyncDir.mockClear();
    const failed = await store.removeMany('bkt', [...keys, 'd/r1/x', 'top']);
    expect(failed.size).toBe(0);
    expect(fsyncDir.mock.calls.map(([dir]) => dir.slice(bucketDir.length)).sort()).toEqual([
      '',
      '/d/r0',
      '/d/r1',
    ]);
    expect(await listFiles(bucketDir)).toEqual(['d/r1/y']);
    expect(await readdir(join(bucketDir, 'd'))).toEqual(['r1']);
  });

  it('prunes emptied directory chains up to the bucket directory, keeping non-empty ones', async () => {
    await put('x/y/1', 'x/y/2', 'x/z/deep/3', 'x/w', 'p/q/r/s');
    const failed = await store.removeMany('bkt', ['x/y/1', 'x/y/2', 'x/z/deep/3', 'p/q/r/s']);
    expect(failed.size).toBe(0);
    expect(await listFiles(bucketDir)).toEqual(['x/w']);
    expect(await readdir(bucketDir)).toEqual(['x']);
    expect(await readdir(join(bucketDir, 'x'))).toEqual(['w']);
  });

  it('treats missing files and repeated keys as removed', async () => {
    await put('here');
    const failed = await store.removeMany('bkt', ['never/written', 'gone', 'here', 'here']);
    expect(failed.size).toBe(0);
    expect(await readdir(bucketDir)).toEqual([]);
  });

  it('removes an object a beside a/b from its shadow form and keeps a/b', async () => {
    await put('a', 'a/b');
    expect(await listFiles(bucketDir)).toEqual(['a/.myfsio.self', 'a/b']);
    expect((await store.removeMany('bkt', ['a'])).size).toBe(0);
    expect(await listFiles(bucketDir)).toEqual(['a/b']);
    expect(await readObject(store, 'bkt', 'a')).toBeNull();
    expect(await readObject(store, 'bkt', 'a/b')).toBe('<a/b>');
  });

  it('turns a back into a plain file when the batch removes every key below it', async () => {
    await put('a', 'a/b', 'a/c/d');
    expect((await store.removeMany('bkt', ['a/b', 'a/c/d'])).size).toBe(0);
    expect(await listFiles(bucketDir)).toEqual(['a']);
    expect(await readFile(join(bucketDir, 'a'), 'utf8')).toBe('<a>');
  });

  it('removes a beside a/b and a/b in one batch, leaving nothing', async () => {
    await put('a', 'a/b', 'logs/', 'logs/today');
    expect((await store.removeMany('bkt', ['a/b', 'a', 'logs/today', 'logs/'])).size).toBe(0);
    expect(await readdir(bucketDir)).toEqual([]);
  });

  it('removes keys in every shadow form', async () => {
    const keys = [
      'a//b',
      '/lead',
      '../x',
      './x',
      '.myfsio.self',
      'nul\0here',
      'k'.repeat(1024),
      `${'/'.repeat(1000)}x`,
    ];
    await put(...keys);
    expect((await store.removeMany('bkt', keys)).size).toBe(0);
    expect(await readdir(bucketDir)).toEqual([]);
  });

  it('removes a copy left by an interrupted conversion, beside the plain file and alone', async () => {
    await put('dir/k', 'dir/other');
    await mkdir(join(bucketDir, 'dir/.myfsio.cv-k'));
    await writeFile(join(bucketDir, 'dir/.myfsio.cv-k/.myfsio.self'), 'stale');
    await mkdir(join(bucketDir, 'dir/.myfsio.cv-only'));
    await writeFile(join(bucketDir, 'dir/.myfsio.cv-only/.myfsio.self'), 'moved');
    expect(await readObject(store, 'bkt', 'dir/only')).toBe('moved');
    expect((await store.removeMany('bkt', ['dir/k', 'dir/only'])).size).toBe(0);
    expect(await readdir(join(bucketDir, 'dir'))).toEqual(['other']);
    expect(await readObject(store, 'bkt', 'dir/k')).toBeNull();
    expect(await readObject(store, 'bkt', 'dir/only')).toBeNull();
  });

  it('still removes a conversion copy in a directory too large to list', async () => {
    await mkdir(join(bucketDir, 'big'));
    await Promise.all(Array.from({ length: 1100 }, (_, i) => writeFile(join(bucketDir, 'big', `f${i}`), '')));
    await mkdir(join(bucketDir, 'big/.myfsio.cv-k'));
    await writeFile(join(bucketDir, 'big/.myfsio.cv-k/.myfsio.self'), 'moved');
    expect((await store.removeMany('bkt', ['big/k', 'big/f0'])).size).toBe(0);
    const left = await readdir(join(bucketDir, 'big'));
    expect(left).toHaveLength(1099);
    expect(left.filter((name) => name.startsWith('.myfsio'))).toEqual([]);
  });

  it('reports the keys of a directory whose fsync failed, and only those', async () => {
    await put('ok/1', 'bad/1', 'bad/2');
    const eio = Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
    fsyncDir.mockImplementation((dir) => (dir.endsWith('/bad') ? Promise.reject(eio) : realFsyncDir(dir)));
    const failed = await store.removeMany('bkt', ['ok/1', 'bad/1', 'bad/2']);
    expect([...failed.keys()].sort()).toEqual(['bad/1', 'bad/2']);
    expect(failed.get('bad/1')).toMatchObject({ name: 'StorageError', kind: 'Io' });
  });

  it('waits for work holding one of its paths, and releases every lock', async () => {
    const mutex = new KeyedMutex();
    const order: string[] = [];
    let finish = (): void => undefined;
    const held = mutex.run('b', () =>
      new Promise<void>((resolve) => (finish = resolve)).then(() => void order.push('b')),
    );
    const all = mutex.runAll(['c', 'b', 'a', 'b'], () => Promise.resolve(void order.push('all')));
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual([]);
    finish();
    await Promise.all([held, all]);
    expect(order).toEqual(['b', 'all']);
    expect(mutex.size).toBe(0);
  });
});
