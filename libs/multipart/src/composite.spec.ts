import { createHasher } from '@myfsio/common';
import { createHash } from 'node:crypto';
import { compositeEtag, objectChecksum, partSizeRuns } from './composite';

const md5 = (data: Buffer) => createHash('md5').update(data).digest();

async function digest(algorithm: 'CRC32' | 'SHA256' | 'CRC64NVME', data: Buffer): Promise<Buffer> {
  const h = createHasher(algorithm);
  h.update(data);
  return h.digest();
}

describe('compositeEtag', () => {
  it('is the MD5 of the binary part MD5s, then -N', () => {
    const a = Buffer.from('part one');
    const b = Buffer.from('part two');
    const parts = [{ etag: md5(a).toString('hex') }, { etag: md5(b).toString('hex') }];
    expect(compositeEtag(parts)).toBe(`${md5(Buffer.concat([md5(a), md5(b)])).toString('hex')}-2`);
  });

  it('matches a value S3 returned: one part of "hello"', () => {
    // md5("hello") = 5d41402abc4b2a76b9719d911017c592; S3 answers md5(that binary)-1.
    expect(compositeEtag([{ etag: '5d41402abc4b2a76b9719d911017c592' }])).toBe(
      `${createHash('md5').update(Buffer.from('5d41402abc4b2a76b9719d911017c592', 'hex')).digest('hex')}-1`,
    );
  });
});

describe('objectChecksum', () => {
  const data = [Buffer.from('first part bytes'), Buffer.from('second')];

  it('COMPOSITE: the checksum of the raw part checksums, then -N', async () => {
    const raw = await Promise.all(data.map((d) => digest('SHA256', d)));
    const parts = raw.map((r, i) => ({
      partNumber: i + 1,
      size: data[i]!.length,
      checksums: { SHA256: r.toString('base64') },
    }));
    const expected = (await digest('SHA256', Buffer.concat(raw))).toString('base64');
    expect(await objectChecksum({ algorithm: 'SHA256', type: 'COMPOSITE' }, parts)).toBe(`${expected}-2`);
  });

  it.each(['CRC32', 'CRC64NVME'] as const)(
    'FULL_OBJECT %s: the CRC of the whole object',
    async (algorithm) => {
      const raw = await Promise.all(data.map((d) => digest(algorithm, d)));
      const parts = raw.map((r, i) => ({
        partNumber: i + 1,
        size: data[i]!.length,
        checksums: { [algorithm]: r.toString('base64') },
      }));
      expect(await objectChecksum({ algorithm, type: 'FULL_OBJECT' }, parts)).toBe(
        (await digest(algorithm, Buffer.concat(data))).toString('base64'),
      );
    },
  );

  it('fails when a part lacks the checksum', async () => {
    await expect(
      objectChecksum({ algorithm: 'CRC32', type: 'COMPOSITE' }, [
        { partNumber: 1, size: 1, checksums: null },
      ]),
    ).rejects.toThrow(/part 1 has no stored CRC32/);
  });
});

describe('partSizeRuns', () => {
  it('run-length encodes sizes in order', () => {
    expect(partSizeRuns([5, 5, 5, 2].map((size) => ({ size })))).toEqual([
      [5, 3],
      [2, 1],
    ]);
    expect(partSizeRuns([1, 2, 1].map((size) => ({ size })))).toEqual([
      [1, 1],
      [2, 1],
      [1, 1],
    ]);
    expect(partSizeRuns([])).toEqual([]);
  });
});
