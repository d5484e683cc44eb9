import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import { isStorageError, StorageError } from '../storage-error';
import { FsObjectStore } from './fs-object-store';
import { listFiles, makeTempRoot, putObject, readObject } from './spec-helpers';

describe('FsObjectStore', () => {
  let root: string;
  let cleanup: () => Promise<void>;
  let store: FsObjectStore;
  const tempDir = () => join(root, '.myfsio.sys', 'tmp');

  beforeEach(async () => {
    ({ root, cleanup } = await makeTempRoot());
    store = new FsObjectStore({ root, streamChunkSize: 4, writeBlockSize: 8 });
    await store.createBucket('bkt');
  });
  afterEach(() => cleanup());

  describe('createBucket / removeBucket', () => {
    it('creates the bucket directory and the temp area, idempotently', async () => {
      await store.createBucket('bkt');
      expect((await stat(join(root, 'bkt'))).isDirectory()).toBe(true);
      expect((await stat(tempDir())).isDirectory()).toBe(true);
    });

    it('removes a bucket holding only empty directories', async () => {
      await mkdir(join(root, 'bkt', 'a', '.myfsio.cv-b'), { recursive: true });
      await store.removeBucket('bkt');
      await expect(stat(join(root, 'bkt'))).rejects.toMatchObject({ code: 'ENOENT' });
      await store.removeBucket('bkt');
    });

    it('throws NotEmpty and changes nothing when a file remains', async () => {
      await mkdir(join(root, 'bkt', 'empty'));
      await putObject(store, 'bkt', 'deep/x', 'x');
      await expect(store.removeBucket('bkt')).rejects.toMatchObject({ kind: 'NotEmpty' });
      expect((await stat(join(root, 'bkt', 'empty'))).isDirectory()).toBe(true);
    });

    it('refuses bucket names that are not one plain directory name', async () => {
      for (const bad of ['', '.hidden', 'a/b', '..', 'a\0b']) {
        await expect(store.createBucket(bad)).rejects.toThrow(RangeError);
      }
    });
  });

  describe('stage + publish', () => {
    it('publishes the body at the plain path and reads it back', async () => {
      await putObject(store, 'bkt', 'photos/2024/a.jpg', 'hello world');
      expect(await readFile(join(root, 'bkt', 'photos/2024/a.jpg'), 'utf8')).toBe('hello world');
      expect(await readObject(store, 'bkt', 'photos/2024/a.jpg')).toBe('hello world');
      expect(await store.stat('bkt', 'photos/2024/a.jpg')).toMatchObject({ size: 11 });
      expect(await store.pathOf('bkt', 'photos/2024/a.jpg')).toBe(join(root, 'bkt', 'photos/2024/a.jpg'));
    });

    it('computes MD5, CRC32 and SHA256 over bodies split across many chunks', async () => {
      const body = Buffer.from('The quick brown fox jumps over the lazy dog, many times. '.repeat(50));
      const chunks = [
        body.subarray(0, 3),
        body.subarray(3, 100),
        body.subarray(100, 101),
        body.subarray(101),
      ];
      const staged = await store.stage(Readable.from(chunks), { checksums: ['CRC32', 'SHA256'] });
      expect(staged.size).toBe(body.length);
      expect(staged.md5.toString('hex')).toBe(createHash('md5').update(body).digest('hex'));
      expect(staged.checksums.SHA256).toEqual(createHash('sha256').update(body).digest());
      const crc = Buffer.alloc(4);
      crc.writeUInt32BE(crc32(body) >>> 0);
      expect(staged.checksums.CRC32).toEqual(crc);
      expect(staged.checksums.SHA1).toBeUndefined();
      await staged.publish('bkt', 'k');
      expect(await readFile(join(root, 'bkt', 'k'))).toEqual(body);
    });

    it('digests the empty body', async () => {
      const staged = await store.stage(Readable.from([]), { expectedSize: 0 });
      expect(staged.md5.toString('hex')).toBe('d41d8cd98f00b204e9800998ecf8427e');
      await staged.publish('bkt', 'empty');
      expect(await readObject(store, 'bkt', 'empty')).toBe('');
    });

    it('keeps nothing visible until publish, and nothing in the temp area after it', async () => {
      const staged = await store.stage(Readable.from([Buffer.from('abc')]));
      expect(await store.stat('bkt', 'k')).toBeNull();
      expect(await readdir(tempDir())).toHaveLength(1);
      await staged.publish('bkt', 'k');
      expect(await readdir(tempDir())).toHaveLength(0);
      await expect(staged.publish('bkt', 'k2')).rejects.toThrow('published');
      await staged.discard();
      expect(await readObject(store, 'bkt', 'k')).toBe('abc');
    });

    it('discard removes the temp file and is idempotent', async () => {
      const staged = await store.stage(Readable.from([Buffer.from('abc')]));
      await staged.discard();
      await staged.discard();
      expect(await readdir(tempDir())).toHaveLength(0);
      await expect(staged.publish('bkt', 'k')).rejects.toThrow('discarded');
    });

    it('rethrows the body error unchanged and leaves no temp file', async () => {
      const failure = new Error('signature mismatch');
      const body = new PassThrough();
      body.write('partial');
      setImmediate(() => body.destroy(failure));
      await expect(store.stage(body)).rejects.toBe(failure);
      expect(await readdir(tempDir())).toHaveLength(0);
    });

    it('rethrows an error raised mid-stream unchanged and leaves no temp file', async () => {
      const failure = new Error('chunk signature mismatch');
      async function* chunks() {
        yield Buffer.alloc(20, 1);
        await new Promise((resolve) => setImmediate(resolve));
        yield Buffer.alloc(20, 2);
        throw failure;
      }
      await expect(store.stage(Readable.from(chunks()))).rejects.toBe(failure);
      expect(await readdir(tempDir())).toHaveLength(0);
    });

    it('writes a multi-megabyte body of uneven chunks intact with the default block size', async () => {
      const big = new FsObjectStore({ root });
      const body = Buffer.alloc(5 * 1024 * 1024 + 123);
      for (let i = 0; i < body.length; i++) {
        body[i] = (i * 31 + (i >> 13)) & 0xff;
      }
      const sizes = [1, 65536, 3 * 1024 * 1024, 7, 16384];
      const chunks: Buffer[] = [];
      for (let offset = 0, n = 0; offset < body.length; n++) {
        const size = sizes[n % sizes.length]!;
        chunks.push(body.subarray(offset, offset + size));
        offset += size;
      }
      const staged = await big.stage(Readable.from(chunks), {
        expectedSize: body.length,
        checksums: ['SHA256'],
      });
      expect(staged.md5).toEqual(createHash('md5').update(body).digest());
      expect(staged.checksums.SHA256).toEqual(createHash('sha256').update(body).digest());
      await staged.publish('bkt', 'big');
      expect((await readFile(join(root, 'bkt', 'big'))).equals(body)).toBe(true);
      const reader = await big.open('bkt', 'big', { start: 1_000_000, end: 4_000_000 });
      const parts: Buffer[] = [];
      for await (const part of reader!.stream) {
        parts.push(part as Buffer);
      }
      expect(Buffer.concat(parts).equals(body.subarray(1_000_000, 4_000_001))).toBe(true);
    });

    it('accepts string chunks', async () => {
      const staged = await store.stage(Readable.from(['ab', 'cd'], { objectMode: false }));
      expect(staged.size).toBe(4);
      await staged.discard();
    });

    it('throws TooLarge past maxSize, leaves no temp file and does not destroy the body', async () => {
      const body = Readable.from([Buffer.from('12345'), Buffer.from('67890')]);
      const err = await store.stage(body, { maxSize: 7 }).catch((e: unknown) => e);
      expect(isStorageError(err, 'TooLarge')).toBe(true);
      expect(body.destroyed).toBe(false);
      expect(await readdir(tempDir())).toHaveLength(0);
    });

    it('throws TooLarge before reading when expectedSize exceeds maxSize', async () => {
      const body = new PassThrough();
      await expect(store.stage(body, { maxSize: 1, expectedSize: 2 })).rejects.toMatchObject({
        kind: 'TooLarge',
      });
      expect(body.readableLength).toBe(0);
    });

    it('accepts exactly maxSize bytes', async () => {
      const staged = await store.stage(Readable.from([Buffer.from('1234567')]), { maxSize: 7 });
      expect(staged.size).toBe(7);
      await staged.discard();
    });

    it.each([
      ['shorter', 'abc', 4],
      ['longer', 'abcde', 4],
    ])('throws SizeMismatch for a body %s than expectedSize', async (_what, body, expectedSize) => {
      const err = await store
        .stage(Readable.from([Buffer.from(body)]), { expectedSize })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StorageError);
      expect((err as StorageError).kind).toBe('SizeMismatch');
      expect(await readdir(tempDir())).toHaveLength(0);
    });

    it('overwrites an existing object', async () => {
      await putObject(store, 'bkt', 'k', 'old contents');
      await putObject(store, 'bkt', 'k', 'new');
      expect(await readObject(store, 'bkt', 'k')).toBe('new');
    });

    it('ends concurrent publishes of one key with one complete body', async () => {
      const bodies = Array.from({ length: 8 }, (_, i) => String(i).repeat(1000 + i));
      const staged = await Promise.all(bodies.map((b) => store.stage(Readable.from([Buffer.from(b)]))));
      await Promise.all(staged.map((s) => s.publish('bkt', 'race/k')));
      expect(bodies).toContain(await readObject(store, 'bkt', 'race/k'));
      expect(await readdir(tempDir())).toHaveLength(0);
    });

    it('fails publish with Io when the bucket directory is missing, keeping the temp file for discard', async () => {
      const staged = await store.stage(Readable.from([Buffer.from('x')]));
      await expect(staged.publish('nobucket', 'a/b')).rejects.toMatchObject({ kind: 'Io' });
      expect(await readdir(tempDir())).toHaveLength(1);
      await staged.discard();
      expect(await readdir(tempDir())).toHaveLength(0);
    });
  });

  describe('open', () => {
    beforeEach(() => putObject(store, 'bkt', 'r', '0123456789'));

    it.each([
      [{ start: 0, end: 0 }, '0'],
      [{ start: 2, end: 5 }, '2345'],
      [{ start: 7, end: 9 }, '789'],
      [{ start: 7, end: 100 }, '789'],
      [{ start: 10, end: 12 }, ''],
    ])('reads the range %j', async (range, expected) => {
      expect(await readObject(store, 'bkt', 'r', range)).toBe(expected);
    });

    it('reports the size of the whole file with a range', async () => {
      const reader = await store.open('bkt', 'r', { start: 1, end: 2 });
      expect(reader).toMatchObject({ size: 10 });
      reader?.stream.destroy();
    });

    it('refuses an inverted or negative range', async () => {
      await expect(store.open('bkt', 'r', { start: 5, end: 4 })).rejects.toThrow(RangeError);
      await expect(store.open('bkt', 'r', { start: -1, end: 4 })).rejects.toThrow(RangeError);
    });

    it('returns null for a missing key, a missing bucket and a key below a file', async () => {
      expect(await store.open('bkt', 'missing')).toBeNull();
      expect(await store.open('other', 'r')).toBeNull();
      expect(await store.open('bkt', 'r/below')).toBeNull();
      expect(await store.stat('bkt', 'r/below')).toBeNull();
      expect(await store.pathOf('bkt', 'missing')).toBeNull();
    });
  });

  describe('remove', () => {
    it('removes the file and prunes emptied directories up to the bucket', async () => {
      await putObject(store, 'bkt', 'a/b/c/d', 'x');
      await putObject(store, 'bkt', 'a/keep', 'y');
      await store.remove('bkt', 'a/b/c/d');
      expect(await listFiles(join(root, 'bkt'))).toEqual(['a/keep']);
      expect(await readdir(join(root, 'bkt', 'a'))).toEqual(['keep']);
      await store.remove('bkt', 'a/keep');
      expect(await readdir(join(root, 'bkt'))).toEqual([]);
    });

    it('is idempotent', async () => {
      await store.remove('bkt', 'never/was');
      await store.remove('nobucket', 'x');
    });

    it('lets a later publish recreate pruned directories it had cached', async () => {
      await putObject(store, 'bkt', 'p/q/1', 'one');
      await store.remove('bkt', 'p/q/1');
      await putObject(store, 'bkt', 'p/q/2', 'two');
      expect(await readObject(store, 'bkt', 'p/q/2')).toBe('two');
    });
  });

  describe('reclaimTemp', () => {
    it('removes old temp files but not staged ones of this process', async () => {
      const staged = await store.stage(Readable.from([Buffer.from('keep')]));
      const stale = join(tempDir(), '999-dead.tmp');
      await writeFile(stale, 'left by a crash');
      const old = new Date(Date.now() - 3_600_000);
      await utimes(stale, old, old);
      for (const name of await readdir(tempDir())) {
        await utimes(join(tempDir(), name), old, old);
      }
      expect(await store.reclaimTemp(60_000)).toBe(1);
      expect(await readdir(tempDir())).toHaveLength(1);
      await staged.publish('bkt', 'k');
      expect(await readObject(store, 'bkt', 'k')).toBe('keep');
    });
  });

  it('refuses a STORAGE_ROOT too long for the layout', () => {
    expect(() => new FsObjectStore({ root: `/${'r'.repeat(800)}` })).toThrow(RangeError);
  });
});
