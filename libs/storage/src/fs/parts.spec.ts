import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { PartRef } from '../object-store';
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

  async function putPart(uploadId: string, partNumber: number, body: string): Promise<PartRef> {
    const staged = await store.stagePart(uploadId, partNumber, Readable.from([Buffer.from(body)]), {
      checksums: ['CRC32'],
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
});
