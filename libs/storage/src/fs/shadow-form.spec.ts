import { mkdir, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { keyToRelativePath } from '../key-path/key-path';
import { FsObjectStore } from './fs-object-store';
import { listFiles, makeTempRoot, putObject, readObject } from './spec-helpers';

describe('FsObjectStore shadow forms', () => {
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

  describe.each([
    ['a then a/b', ['a', 'a/b']],
    ['a/b then a', ['a/b', 'a']],
  ])('objects a and a/b created as %s', (_order, keys) => {
    beforeEach(async () => {
      for (const key of keys) {
        await putObject(store, 'bkt', key, `body of ${key}`);
      }
    });

    it('keeps a in its shadow form and reads both back', async () => {
      expect(await listFiles(bucketDir)).toEqual(['a/.myfsio.self', 'a/b']);
      expect(await readObject(store, 'bkt', 'a')).toBe('body of a');
      expect(await readObject(store, 'bkt', 'a/b')).toBe('body of a/b');
      expect(await store.stat('bkt', 'a')).toMatchObject({ size: 9 });
      expect(await store.pathOf('bkt', 'a')).toBe(join(bucketDir, 'a/.myfsio.self'));
    });

    it('overwrites a in place while it is shadowed', async () => {
      await putObject(store, 'bkt', 'a', 'new a');
      expect(await readObject(store, 'bkt', 'a')).toBe('new a');
      expect(await listFiles(bucketDir)).toEqual(['a/.myfsio.self', 'a/b']);
    });

    it('turns a back into a plain file when a/b is removed', async () => {
      await store.remove('bkt', 'a/b');
      expect(await listFiles(bucketDir)).toEqual(['a']);
      expect(await readFile(join(bucketDir, 'a'), 'utf8')).toBe('body of a');
      expect(await readObject(store, 'bkt', 'a')).toBe('body of a');
    });

    it('keeps a/b and drops the directory form when a is removed', async () => {
      await store.remove('bkt', 'a');
      expect(await listFiles(bucketDir)).toEqual(['a/b']);
      expect(await readObject(store, 'bkt', 'a')).toBeNull();
      await store.remove('bkt', 'a/b');
      expect(await readdir(bucketDir)).toEqual([]);
    });
  });

  it('converts back only when the last key below the directory is gone', async () => {
    for (const key of ['a', 'a/b/c', 'a/d']) {
      await putObject(store, 'bkt', key, key);
    }
    await store.remove('bkt', 'a/b/c');
    expect(await listFiles(bucketDir)).toEqual(['a/.myfsio.self', 'a/d']);
    await store.remove('bkt', 'a/d');
    expect(await listFiles(bucketDir)).toEqual(['a']);
  });

  it('shadows a nested object when a deeper key arrives', async () => {
    await putObject(store, 'bkt', 'x/y', 'y');
    await putObject(store, 'bkt', 'x/y/z/w', 'w');
    expect(await listFiles(bucketDir)).toEqual(['x/y/.myfsio.self', 'x/y/z/w']);
    await store.remove('bkt', 'x/y/z/w');
    expect(await listFiles(bucketDir)).toEqual(['x/y']);
  });

  it('shadows a file written behind the gateway when a key below it arrives', async () => {
    await writeFile(join(bucketDir, 'plain'), 'p');
    await putObject(store, 'bkt', 'plain/child', 'c');
    expect(await listFiles(bucketDir)).toEqual(['plain/.myfsio.self', 'plain/child']);
    expect(await readObject(store, 'bkt', 'plain')).toBe('p');
  });

  it('stores a folder marker inside its folder, beside an object of the same name', async () => {
    await putObject(store, 'bkt', 'logs', 'file logs');
    await putObject(store, 'bkt', 'logs/', '');
    await putObject(store, 'bkt', 'logs/today', 'entry');
    expect(await listFiles(bucketDir)).toEqual(['logs/.myfsio.dir', 'logs/.myfsio.self', 'logs/today']);
    expect(await readObject(store, 'bkt', 'logs/')).toBe('');
    expect(await readObject(store, 'bkt', 'logs')).toBe('file logs');
    await store.remove('bkt', 'logs/today');
    await store.remove('bkt', 'logs/');
    expect(await listFiles(bucketDir)).toEqual(['logs']);
  });

  it.each([
    ['a//b', 'a/.myfsio.empty/b'],
    ['/lead', '.myfsio.empty/lead'],
    ['../x', '.myfsio.dotdot/x'],
    ['./x', '.myfsio.dot/x'],
    ['.myfsio.self', '.myfsio.esc.myfsio.self'],
    ['.myfsio.sys/tmp/x', '.myfsio.esc.myfsio.sys/tmp/x'],
    ['nul\0here', '.myfsio.nul.bnVsAGhlcmU'],
    ['日本語/ключ', '日本語/ключ'],
  ])('stores %j at %j', async (key, path) => {
    await putObject(store, 'bkt', key, key);
    expect(await listFiles(bucketDir)).toEqual([path]);
    expect(await readObject(store, 'bkt', key)).toBe(key);
    await store.remove('bkt', key);
    expect(await readdir(bucketDir)).toEqual([]);
  });

  it('stores a 1024-byte single-segment key under a hashed name', async () => {
    const key = 'k'.repeat(1024);
    await putObject(store, 'bkt', key, 'long');
    expect(await readObject(store, 'bkt', key)).toBe('long');
    expect(await listFiles(bucketDir)).toEqual([keyToRelativePath(key).plainPath]);
  });

  it('stores a key whose encoded path exceeds PATH_MAX in the long form', async () => {
    const key = `${'/'.repeat(1000)}x`;
    await putObject(store, 'bkt', key, 'deep');
    expect(await readObject(store, 'bkt', key)).toBe('deep');
    await store.remove('bkt', key);
    expect(await readdir(bucketDir)).toEqual([]);
  });

  it('keeps distinct keys apart when they look alike on disk', async () => {
    const keys = ['a', 'a/', 'a//', 'a/b', 'a//b', '/a', '.myfsio.empty', 'a/.myfsio.dir', 'a/.myfsio.self'];
    for (const key of keys) {
      await putObject(store, 'bkt', key, `<${key}>`);
    }
    for (const key of keys) {
      expect(await readObject(store, 'bkt', key)).toBe(`<${key}>`);
    }
    for (const key of keys) {
      await store.remove('bkt', key);
    }
    expect(await readdir(bucketDir)).toEqual([]);
  });

  it('ends concurrent publishes of a and a/… with every object readable', async () => {
    const keys = ['a', 'a/1', 'a/2', 'a/3/x', 'a', 'a/1'];
    await Promise.all(keys.map((key) => putObject(store, 'bkt', key, key)));
    for (const key of new Set(keys)) {
      expect(await readObject(store, 'bkt', key)).toBe(key);
    }
    await Promise.all(['a/1', 'a/2', 'a/3/x'].map((key) => store.remove('bkt', key)));
    expect(await listFiles(bucketDir)).toEqual(['a']);
  });

  it('never hides a from readers while keys below it come and go', async () => {
    await putObject(store, 'bkt', 'a', 'A');
    let running = true;
    const misses: string[] = [];
    const reader = (async () => {
      while (running) {
        const body = await readObject(store, 'bkt', 'a');
        if (body !== 'A') {
          misses.push(String(body));
        }
      }
    })();
    for (let round = 0; round < 30; round++) {
      await Promise.all([putObject(store, 'bkt', 'a/x', 'x'), putObject(store, 'bkt', `a/y${round}`, 'y')]);
      await Promise.all([store.remove('bkt', 'a/x'), store.remove('bkt', `a/y${round}`)]);
    }
    running = false;
    await reader;
    expect(misses).toEqual([]);
    expect(await listFiles(bucketDir)).toEqual(['a']);
  });

  it('keeps the layout consistent when two stores (as two gateways) convert one name concurrently', async () => {
    const other = new FsObjectStore({ root });
    await putObject(store, 'bkt', 'a', 'A0');
    let running = true;
    const misses: string[] = [];
    const reader = (async () => {
      while (running) {
        const body = await readObject(store, 'bkt', 'a');
        if (!body?.startsWith('A')) {
          misses.push(String(body));
        }
      }
    })();
    for (let round = 1; round <= 40; round++) {
      await Promise.all([
        putObject(store, 'bkt', `a/s${round}`, 's'),
        putObject(other, 'bkt', `a/o${round}`, 'o'),
        putObject(other, 'bkt', 'a', `A${round}`),
        store.remove('bkt', `a/s${round - 1}`),
        other.remove('bkt', `a/o${round - 1}`),
      ]);
      expect(await readObject(other, 'bkt', 'a')).toBe(`A${round}`);
    }
    running = false;
    await reader;
    expect(misses).toEqual([]);
    await Promise.all([store.remove('bkt', 'a/s40'), other.remove('bkt', 'a/o40')]);
    expect(await listFiles(bucketDir)).toEqual(['a']);
    expect(await readObject(store, 'bkt', 'a')).toBe('A40');
  });

  describe('an interrupted conversion', () => {
    /** What a gateway killed during a conversion a minute ago leaves behind. */
    const leftover = async (bytes: string) => {
      await mkdir(join(bucketDir, '.myfsio.cv-a'));
      await writeFile(join(bucketDir, '.myfsio.cv-a', '.myfsio.self'), bytes);
      const past = new Date(Date.now() - 60_000);
      await utimes(join(bucketDir, '.myfsio.cv-a'), past, past);
    };

    it('still serves bytes left at the conversion path and settles them later', async () => {
      // Crash after step 2 of the conversion to a directory: `a` moved, not yet renamed back.
      await leftover('old a');
      expect(await readObject(store, 'bkt', 'a')).toBe('old a');
      await putObject(store, 'bkt', 'a/b', 'b');
      expect(await readObject(store, 'bkt', 'a')).toBe('old a');
      await store.remove('bkt', 'a/b');
      expect(await listFiles(bucketDir)).toEqual(['.myfsio.cv-a/.myfsio.self']);
      await store.remove('bkt', 'a');
      expect(await readObject(store, 'bkt', 'a')).toBeNull();
      expect(await readdir(bucketDir)).toEqual([]);
    });

    it('drops a stale conversion copy when a newer plain file exists', async () => {
      await putObject(store, 'bkt', 'a', 'new a');
      await leftover('stale');
      expect(await readObject(store, 'bkt', 'a')).toBe('new a');
      await putObject(store, 'bkt', 'a/b', 'b');
      expect(await listFiles(bucketDir)).toEqual(['a/.myfsio.self', 'a/b']);
      expect(await readObject(store, 'bkt', 'a')).toBe('new a');
    });

    it('serves the bytes after a crash in the conversion back to a file, and removes them with the key', async () => {
      // Crash after step 1 of the conversion back: `a` is an empty directory, the bytes wait beside it.
      await mkdir(join(bucketDir, 'a'));
      await leftover('a');
      expect(await readObject(store, 'bkt', 'a')).toBe('a');
      expect(await store.pathOf('bkt', 'a')).toBe(join(bucketDir, '.myfsio.cv-a', '.myfsio.self'));
      await store.remove('bkt', 'a');
      expect(await readObject(store, 'bkt', 'a')).toBeNull();
      expect(await readdir(bucketDir)).toEqual([]);
    });
  });
});
