import { createHasher } from '@myfsio/common';
import { randomBytes } from 'node:crypto';
import { combineCrc, type CrcAlgorithm } from './crc-combine';

async function crcOf(algorithm: CrcAlgorithm, data: Buffer): Promise<Buffer> {
  const hasher = createHasher(algorithm);
  hasher.update(data);
  return hasher.digest();
}

describe('combineCrc', () => {
  const algorithms: CrcAlgorithm[] = ['CRC32', 'CRC32C', 'CRC64NVME'];

  it.each(algorithms)('%s of the parts equals %s of the concatenation', async (algorithm) => {
    const parts = [
      randomBytes(1000),
      randomBytes(1),
      Buffer.alloc(0),
      randomBytes(70_001),
      randomBytes(1000),
    ];
    const combined = combineCrc(
      algorithm,
      await Promise.all(parts.map(async (p) => ({ crc: await crcOf(algorithm, p), size: p.length }))),
    );
    expect(combined.toString('base64')).toBe(
      (await crcOf(algorithm, Buffer.concat(parts))).toString('base64'),
    );
  });

  it.each(algorithms)('%s of one part is that part’s CRC', async (algorithm) => {
    const crc = await crcOf(algorithm, Buffer.from('hello'));
    expect(combineCrc(algorithm, [{ crc, size: 5 }])).toEqual(crc);
  });

  it('handles many equal-sized parts quickly (shift operators are cached)', async () => {
    const part = randomBytes(64);
    const crc = await crcOf('CRC64NVME', part);
    const started = Date.now();
    const combined = combineCrc(
      'CRC64NVME',
      Array.from({ length: 10_000 }, () => ({ crc, size: 64 })),
    );
    expect(Date.now() - started).toBeLessThan(2000);
    expect(combined).toEqual(
      await crcOf('CRC64NVME', Buffer.concat(Array.from({ length: 10_000 }, () => part))),
    );
  });

  it('refuses digests of the wrong length and an empty list', () => {
    expect(() => combineCrc('CRC32', [{ crc: Buffer.alloc(8), size: 1 }])).toThrow(RangeError);
    expect(() => combineCrc('CRC32', [])).toThrow(RangeError);
  });
});
