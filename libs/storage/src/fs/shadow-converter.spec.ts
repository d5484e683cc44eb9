import { mkdir, readFile, rmdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KeyedMutex } from './keyed-mutex';
import { ShadowConverter } from './shadow-converter';
import { listFiles, makeTempRoot } from './spec-helpers';

describe('ShadowConverter', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let converter: ShadowConverter;
  let mutex: KeyedMutex;
  const removed: string[] = [];

  beforeEach(async () => {
    ({ root: dir, cleanup } = await makeTempRoot());
    removed.length = 0;
    mutex = new KeyedMutex();
    converter = new ShadowConverter(mutex, (path) => removed.push(path));
  });
  afterEach(() => cleanup());

  /** A conversion directory left by a process that died a minute ago. */
  const leftover = async (bytes: string) => {
    await mkdir(join(dir, '.myfsio.cv-a'));
    await writeFile(join(dir, '.myfsio.cv-a', '.myfsio.self'), bytes);
    const past = new Date(Date.now() - 60_000);
    await utimes(join(dir, '.myfsio.cv-a'), past, past);
  };

  it('moves a plain file into <name>/.myfsio.self', async () => {
    await writeFile(join(dir, 'a'), 'a');
    await converter.toDirectory(dir, 'a');
    expect(await listFiles(dir)).toEqual(['a/.myfsio.self']);
    expect(mutex.size).toBe(0);
  });

  it('creates a missing name as an empty directory', async () => {
    await converter.toDirectory(dir, 'a');
    expect(await listFiles(dir)).toEqual([]);
  });

  it('finishes an interrupted conversion when the name is missing', async () => {
    await leftover('a');
    await converter.toDirectory(dir, 'a');
    expect(await listFiles(dir)).toEqual(['a/.myfsio.self']);
  });

  it('waits while another process holds a fresh claim on the name', async () => {
    await writeFile(join(dir, 'a'), 'a');
    await mkdir(join(dir, '.myfsio.cv-a'));
    let released = false;
    setTimeout(() => {
      released = true;
      void rmdir(join(dir, '.myfsio.cv-a'));
    }, 50);
    await converter.toDirectory(dir, 'a');
    expect(released).toBe(true);
    expect(await listFiles(dir)).toEqual(['a/.myfsio.self']);
  });

  it('skips the conversion back while another process holds a fresh claim', async () => {
    await mkdir(join(dir, 'a'));
    await writeFile(join(dir, 'a', '.myfsio.self'), 'a');
    await mkdir(join(dir, '.myfsio.cv-a'));
    await converter.toFile(dir, 'a');
    expect(await listFiles(dir)).toEqual(['a/.myfsio.self']);
  });

  it('drops leftover bytes older than a plain file, then converts the file', async () => {
    await writeFile(join(dir, 'a'), 'newer');
    await leftover('older');
    await converter.toDirectory(dir, 'a');
    expect(await listFiles(dir)).toEqual(['a/.myfsio.self']);
    expect(await readFile(join(dir, 'a', '.myfsio.self'), 'utf8')).toBe('newer');
  });

  it('turns a directory holding only .myfsio.self back into a file', async () => {
    await mkdir(join(dir, 'a'));
    await writeFile(join(dir, 'a', '.myfsio.self'), 'a');
    await leftover('stale');
    await converter.toFile(dir, 'a');
    expect(await listFiles(dir)).toEqual(['a']);
    expect(await readFile(join(dir, 'a'), 'utf8')).toBe('a');
    expect(removed).toEqual([join(dir, 'a')]);
  });

  it('leaves a directory with other entries alone', async () => {
    await mkdir(join(dir, 'a'));
    await writeFile(join(dir, 'a', '.myfsio.self'), 'a');
    await writeFile(join(dir, 'a', 'b'), 'b');
    await converter.toFile(dir, 'a');
    expect(await listFiles(dir)).toEqual(['a/.myfsio.self', 'a/b']);
  });
});
