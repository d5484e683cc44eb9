import { createHash } from 'node:crypto';
import { readdir, readFile, readlink, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import type { PartRef, StageOptions } from '../object-store';
import { FsObjectStore } from './fs-object-store';
import { makeTempRoot, readObject } from './spec-helpers';

const md5 = (data: string) => createHash('md5').update(data).digest('hex');

describe('FsObjectStore multipart parts', () => {
  let root: string;
  let cleanup: () => Promise<void>;
  let store: FsObjectStore;
  const uploadDir = (id: string) => join(root, '.myfsio.sys', 'multipart', id);
  const tempDir = () => join(root, '.myfsio.sys', 'tmp');

  beforeEach(async () => {
    ({ root, cleanup } = await makeTempRoot());
    store = new FsObjectStore({ root, writeBlockSize: 8 });
    await store.createBucket('bkt');
  });
  afterEach(() => cleanup());

  /** Uploads a part; `options` as UploadPart sets them (no announced length by default). */
  async function putPart(
    uploadId: string,
    partNumber: number,
    body: string,
    options: StageOptions = {},
  ): Promise<PartRef> {
    const staged = await store.stagePart(uploadId, partNumber, Readable.from([Buffer.from(body)]), {
      checksums: ['CRC32'],
      ...options,
    });
    try {
      await staged.publish();
    } finally {
      await staged.discard();
    }
    return { partNumber, md5: staged.md5.toString('hex'), size: staged.size };
  }

  it('publishes a staged part as <partNumber>.<md5> in the upload directory', async () => {
    const staged = await store.stagePart('up-1', 3, Readable.from([Buffer.from('hello')]), {
      checksums: ['CRC32'],
    });
    expect(staged.size).toBe(5);
    expect(staged.md5.toString('hex')).toBe(md5('hello'));
    expect(staged.checksums.CRC32?.toString('base64')).toBe('NhCmhg==');
    expect(await readdir(tempDir())).toHaveLength(1);
    await staged.publish();
    await staged.discard();
    expect(await readdir(uploadDir('up-1'))).toEqual([`3.${md5('hello')}`]);
    expect(await readdir(tempDir())).toEqual([]);
  });

  it('keeps a re-uploaded part number with other bytes beside the first', async () => {
    await putPart('up-1', 1, 'aaa');
    await putPart('up-1', 1, 'bbb');
    await putPart('up-1', 1, 'bbb');
    expect((await readdir(uploadDir('up-1'))).sort()).toEqual([`1.${md5('aaa')}`, `1.${md5('bbb')}`].sort());
  });

  it('discards a staged part without touching the upload', async () => {
    const staged = await store.stagePart('up-1', 1, Readable.from([Buffer.from('x')]));
    await staged.discard();
    await staged.discard();
    expect(await readdir(tempDir())).toEqual([]);
    await expect(readdir(uploadDir('up-1'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('enforces the stage limits on parts', async () => {
    await expect(
      store.stagePart('up-1', 1, Readable.from([Buffer.from('too long')]), { maxSize: 3 }),
    ).rejects.toMatchObject({ kind: 'TooLarge' });
    await expect(
      store.stagePart('up-1', 1, Readable.from([Buffer.from('short')]), { expectedSize: 9 }),
    ).rejects.toMatchObject({ kind: 'SizeMismatch' });
    expect(await readdir(tempDir())).toEqual([]);
  });

  it('refuses upload ids that are not plain names and part numbers outside 1..10000', async () => {
    for (const bad of ['', '../x', 'a/b', '.', 'a b', 'x'.repeat(129)]) {
      await expect(store.stagePart(bad, 1, Readable.from([]))).rejects.toThrow(RangeError);
      await expect(store.removeUploadParts(bad)).rejects.toThrow(RangeError);
    }
    for (const bad of [0, 10001, 1.5]) {
      await expect(store.stagePart('up', bad, Readable.from([]))).rejects.toThrow(RangeError);
    }
  });

  it('assembles parts in the given order into a file that publishes as the object', async () => {
    const parts = [
      await putPart('up-2', 1, 'abc'),
      await putPart('up-2', 2, 'defg'),
      await putPart('up-2', 7, ''),
    ];
    await putPart('up-2', 3, 'not listed');
    const assembled = await store.assembleParts('up-2', parts);
    expect(assembled.size).toBe(7);
    await assembled.publish('bkt', 'dir/big');
    await assembled.discard();
    expect(await readObject(store, 'bkt', 'dir/big')).toBe('abcdefg');
    // The parts stay until removed, so a failed completion can be retried.
    expect(await readdir(uploadDir('up-2'))).toHaveLength(4);
    await store.removeUploadParts('up-2');
    await store.removeUploadParts('up-2');
    await expect(readdir(uploadDir('up-2'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readdir(tempDir())).toEqual([]);
  });

  it('assembles across many chunks with bounded buffers', async () => {
    const big = 'x'.repeat(9 * 1024 * 1024) + 'end';
    const parts = [await putPart('up-3', 1, big), await putPart('up-3', 2, 'tail')];
    const assembled = await store.assembleParts('up-3', parts);
    await assembled.publish('bkt', 'big');
    const bytes = await readFile(join(root, 'bkt', 'big'));
    expect(bytes.length).toBe(big.length + 4);
    expect(bytes.subarray(bytes.length - 7).toString()).toBe('endtail');
  });

  it('fails with Io and leaves no temp file when a part is missing or has another size', async () => {
    const part = await putPart('up-4', 1, 'abc');
    await expect(
      store.assembleParts('up-4', [part, { partNumber: 2, md5: md5('zz'), size: 2 }]),
    ).rejects.toMatchObject({
      kind: 'Io',
      message: expect.stringContaining('part 2 of upload up-4 is missing'),
    });
    await writeFile(join(uploadDir('up-4'), `1.${part.md5}`), 'abcd');
    await expect(store.assembleParts('up-4', [part])).rejects.toMatchObject({ kind: 'Io' });
    expect(await readdir(tempDir())).toEqual([]);
  });

  it('a discarded assembly leaves nothing behind and reclaimTemp skips a pending one', async () => {
    const assembled = await store.assembleParts('up-5', [await putPart('up-5', 1, 'abc')]);
    expect(await store.reclaimTemp(-1000)).toBe(0);
    await assembled.discard();
    expect(await readdir(tempDir())).toEqual([]);
    await expect(assembled.publish('bkt', 'k')).rejects.toThrow(/discarded/);
  });

  describe('in the slab (parts with an announced length)', () => {
    const putSlabPart = (uploadId: string, partNumber: number, body: string) =>
      putPart(uploadId, partNumber, body, { expectedSize: Buffer.byteLength(body) });

    async function complete(uploadId: string, parts: PartRef[], key: string): Promise<string | null> {
      const assembled = await store.assembleParts(uploadId, parts);
      try {
        await assembled.publish('bkt', key);
      } finally {
        await assembled.discard();
      }
      return readObject(store, 'bkt', key);
    }

    it('writes equal parts at their offsets of one file and publishes that file as the object', async () => {
      const parts = [
        await putSlabPart('u', 1, 'abcd'),
        await putSlabPart('u', 3, 'ij'),
        await putSlabPart('u', 2, 'efgh'),
      ];
      const names = await readdir(uploadDir('u'));
      expect(names.filter((n) => /^\d+\.[0-9a-f]{32}$/.test(n))).toEqual([]);
      expect(names).toEqual(
        expect.arrayContaining([
          '1.claim',
          '2.claim',
          '3.claim',
          `1.${md5('abcd')}.slab`,
          `3.${md5('ij')}.slab`,
        ]),
      );
      expect(await readlink(join(uploadDir('u'), 'slab'))).toMatch(/^slab\.4\.[0-9a-f]+$/);
      expect(parts.map((p) => p.md5)).toEqual([md5('abcd'), md5('ij'), md5('efgh')]);

      const inode = (await stat(join(uploadDir('u'), await readlink(join(uploadDir('u'), 'slab'))))).ino;
      const ordered = [parts[0]!, parts[2]!, parts[1]!];
      expect(await complete('u', ordered, 'obj')).toBe('abcdefghij');
      // No copy: the object is the slab's inode, and no temp file was made.
      expect((await stat(join(root, 'bkt', 'obj'))).ino).toBe(inode);
      expect(await readdir(tempDir())).toEqual([]);
    });

    it('cuts off regions of parts the completion does not list, keeping the modification time', async () => {
      const p1 = await putSlabPart('u', 1, 'aaaa');
      const p2 = await putSlabPart('u', 2, 'bb');
      await putSlabPart('u', 3, 'cccc');
      const data = join(uploadDir('u'), await readlink(join(uploadDir('u'), 'slab')));
      const past = new Date(Date.now() - 60_000);
      await utimes(data, past, past);
      expect(await complete('u', [p1, p2], 'obj')).toBe('aaaabb');
      expect(Math.round((await stat(join(root, 'bkt', 'obj'))).mtimeMs)).toBe(past.getTime());
    });

    it('sends a second upload of a part number to a file and completes by copying', async () => {
      const p1 = await putSlabPart('u', 1, 'aaaa');
      await putSlabPart('u', 2, 'bbbb');
      const again = await putSlabPart('u', 2, 'BBBB');
      expect(await readdir(uploadDir('u'))).toContain(`2.${md5('BBBB')}`);
      expect(await complete('u', [p1, again], 'obj')).toBe('aaaaBBBB');
    });

    it('copies from the slab when the parts do not make it whole', async () => {
      // Unequal sizes, a gap in the numbers, a part larger than the stride (a file of its own).
      const p1 = await putSlabPart('u', 1, 'aaaa');
      const p2 = await putSlabPart('u', 2, 'bbb');
      const p4 = await putSlabPart('u', 4, 'dddd');
      const p5 = await putSlabPart('u', 5, 'eeeeeeee');
      expect(await readdir(uploadDir('u'))).toContain(`5.${md5('eeeeeeee')}`);
      expect(await complete('u', [p1, p2, p4, p5], 'obj')).toBe('aaaabbbddddeeeeeeee');
    });

    it('copies while a part is still being written, since its writer could extend the file', async () => {
      const p1 = await putSlabPart('u', 1, 'aaaa');
      const p2 = await putSlabPart('u', 2, 'bb');
      await writeFile(join(uploadDir('u'), '7.claim'), '');
      const before = (await stat(join(uploadDir('u'), await readlink(join(uploadDir('u'), 'slab'))))).ino;
      expect(await complete('u', [p1, p2], 'obj')).toBe('aaaabb');
      expect((await stat(join(root, 'bkt', 'obj'))).ino).not.toBe(before);
    });

    it('frees the region of a failed upload so the next upload of the part uses it', async () => {
      await putSlabPart('u', 1, 'aaaa');
      await expect(
        store.stagePart('u', 2, Readable.from([Buffer.from('bb')]), { expectedSize: 4 }),
      ).rejects.toMatchObject({ kind: 'SizeMismatch' });
      expect(await readdir(uploadDir('u'))).not.toContain('2.claim');
      const p2 = await putSlabPart('u', 2, 'bbbb');
      expect(await readdir(uploadDir('u'))).toContain(`2.${md5('bbbb')}.slab`);
      expect(await complete('u', [{ partNumber: 1, md5: md5('aaaa'), size: 4 }, p2], 'obj')).toBe('aaaabbbb');
    });

    it('keeps a sealed slab for a retried completion and sends later parts to files', async () => {
      const p1 = await putSlabPart('u', 1, 'aaaa');
      const p2 = await putSlabPart('u', 2, 'bbbb');
      const first = await store.assembleParts('u', [p1, p2]);
      await first.discard(); // the completion failed before publishing (a precondition, say)
      const p3 = await putSlabPart('u', 3, 'cc');
      expect(await readdir(uploadDir('u'))).toContain(`3.${md5('cc')}`);
      expect(await readdir(uploadDir('u'))).toContain('slab.sealed');
      expect(await complete('u', [p1, p2, p3], 'obj')).toBe('aaaabbbbcc');
      expect(await complete('u', [p1, p2], 'obj2')).toBe('aaaabbbb');
    });

    it('reports a body that fails while its region is being claimed, and frees the region', async () => {
      const body = new PassThrough();
      const staging = store.stagePart('u', 1, body, { expectedSize: 4 });
      body.destroy(new Error('client went away'));
      await expect(staging).rejects.toThrow('client went away');
      expect(await readdir(uploadDir('u'))).not.toContain('1.claim');
    });

    it('discards an unpublished region without a marker and frees it', async () => {
      const staged = await store.stagePart('u', 1, Readable.from([Buffer.from('abc')]), { expectedSize: 3 });
      await staged.discard();
      await staged.discard();
      const names = await readdir(uploadDir('u'));
      expect(names.some((n) => n.endsWith('.claim') || n.endsWith('.slab'))).toBe(false);
    });
  });
});
