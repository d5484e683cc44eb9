import { createHash } from 'node:crypto';
import { readdir, readlink, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import type { PartRef } from '../object-store';
import { FsObjectStore } from './fs-object-store';
import { makeTempRoot, readObject } from './spec-helpers';

const md5 = (data: string) => createHash('md5').update(data).digest('hex');

describe('FsObjectStore multipart slab', () => {
  let root: string;
  let cleanup: () => Promise<void>;
  let store: FsObjectStore;
  const uploadDir = (id: string) => join(root, '.myfsio.sys', 'multipart', id);
  const tempDir = () => join(root, '.myfsio.sys', 'tmp');

  beforeEach(async () => {
    ({ root, cleanup } = await makeTempRoot());
    store = new FsObjectStore({ root, writeBlockSize: 3 });
    await store.createBucket('bkt');
  });
  afterEach(() => cleanup());

  /** Uploads a part with its length announced, as UploadPart does with Content-Length. */
  async function putPart(uploadId: string, partNumber: number, body: string): Promise<PartRef> {
    const staged = await store.stagePart(uploadId, partNumber, Readable.from([Buffer.from(body)]), {
      expectedSize: Buffer.byteLength(body),
      checksums: ['CRC32'],
    });
    try {
      await staged.publish();
    } finally {
      await staged.discard();
    }
    return { partNumber, md5: staged.md5.toString('hex'), size: staged.size };
  }

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
    const parts = [await putPart('u', 1, 'abcd'), await putPart('u', 3, 'ij'), await putPart('u', 2, 'efgh')];
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
    const p1 = await putPart('u', 1, 'aaaa');
    const p2 = await putPart('u', 2, 'bb');
    await putPart('u', 3, 'cccc');
    const data = join(uploadDir('u'), await readlink(join(uploadDir('u'), 'slab')));
    const past = new Date(Date.now() - 60_000);
    await utimes(data, past, past);
    expect(await complete('u', [p1, p2], 'obj')).toBe('aaaabb');
    expect(Math.round((await stat(join(root, 'bkt', 'obj'))).mtimeMs)).toBe(past.getTime());
  });

  it('sends a second upload of a part number to a file and completes by copying', async () => {
    const p1 = await putPart('u', 1, 'aaaa');
    await putPart('u', 2, 'bbbb');
    const again = await putPart('u', 2, 'BBBB');
    expect(await readdir(uploadDir('u'))).toContain(`2.${md5('BBBB')}`);
    expect(await complete('u', [p1, again], 'obj')).toBe('aaaaBBBB');
  });

  it('copies from the slab when the parts do not make it whole', async () => {
    // Unequal sizes, a gap in the numbers, a part larger than the stride (a file of its own).
    const p1 = await putPart('u', 1, 'aaaa');
    const p2 = await putPart('u', 2, 'bbb');
    const p4 = await putPart('u', 4, 'dddd');
    const p5 = await putPart('u', 5, 'eeeeeeee');
    expect(await readdir(uploadDir('u'))).toContain(`5.${md5('eeeeeeee')}`);
    expect(await complete('u', [p1, p2, p4, p5], 'obj')).toBe('aaaabbbddddeeeeeeee');
  });

  it('copies while a part is still being written, since its writer could extend the file', async () => {
    const p1 = await putPart('u', 1, 'aaaa');
    const p2 = await putPart('u', 2, 'bb');
    await writeFile(join(uploadDir('u'), '7.claim'), '');
    const before = (await stat(join(uploadDir('u'), await readlink(join(uploadDir('u'), 'slab'))))).ino;
    expect(await complete('u', [p1, p2], 'obj')).toBe('aaaabb');
    expect((await stat(join(root, 'bkt', 'obj'))).ino).not.toBe(before);
  });

  it('frees the region of a failed upload so the next upload of the part uses it', async () => {
    await putPart('u', 1, 'aaaa');
    await expect(
      store.stagePart('u', 2, Readable.from([Buffer.from('bb')]), { expectedSize: 4 }),
    ).rejects.toMatchObject({ kind: 'SizeMismatch' });
    expect(await readdir(uploadDir('u'))).not.toContain('2.claim');
    const p2 = await putPart('u', 2, 'bbbb');
    expect(await readdir(uploadDir('u'))).toContain(`2.${md5('bbbb')}.slab`);
    expect(await complete('u', [{ partNumber: 1, md5: md5('aaaa'), size: 4 }, p2], 'obj')).toBe('aaaabbbb');
  });

  it('keeps a sealed slab for a retried completion and sends later parts to files', async () => {
    const p1 = await putPart('u', 1, 'aaaa');
    const p2 = await putPart('u', 2, 'bbbb');
    const first = await store.assembleParts('u', [p1, p2]);
    await first.discard(); // the completion failed before publishing (a precondition, say)
    const p3 = await putPart('u', 3, 'cc');
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
