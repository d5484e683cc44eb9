import { Crc32c } from '@aws-crypto/crc32c';
import { Crc64Nvme } from '@aws-sdk/crc64-nvme';
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';

/** The `x-amz-checksum-*` algorithms S3 accepts, in S3's spelling. */
export const CHECKSUM_ALGORITHMS = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

/** An incremental digest. `digest()` may be called once. */
export interface Hasher {
  update(chunk: Uint8Array): void;
  digest(): Promise<Buffer>;
}

class CryptoHasher implements Hasher {
  private readonly hash;
  constructor(name: 'md5' | 'sha1' | 'sha256') {
    this.hash = createHash(name);
  }
  update(chunk: Uint8Array): void {
    this.hash.update(chunk);
  }
  digest(): Promise<Buffer> {
    return Promise.resolve(this.hash.digest());
  }
}

class Crc32Hasher implements Hasher {
  private value = 0;
  update(chunk: Uint8Array): void {
    this.value = crc32(chunk, this.value);
  }
  digest(): Promise<Buffer> {
    return Promise.resolve(uint32(this.value));
  }
}

class Crc32cHasher implements Hasher {
  private readonly crc = new Crc32c();
  update(chunk: Uint8Array): void {
    this.crc.update(chunk);
  }
  digest(): Promise<Buffer> {
    return Promise.resolve(uint32(this.crc.digest()));
  }
}

class Crc64NvmeHasher implements Hasher {
  private readonly crc = new Crc64Nvme();
  update(chunk: Uint8Array): void {
    this.crc.update(chunk);
  }
  async digest(): Promise<Buffer> {
    return Buffer.from(await this.crc.digest());
  }
}

function uint32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0);
  return out;
}

/** Creates a hasher for a checksum algorithm or for MD5 (the ETag and Content-MD5). */
export function createHasher(algorithm: ChecksumAlgorithm | 'MD5'): Hasher {
  switch (algorithm) {
    case 'MD5':
      return new CryptoHasher('md5');
    case 'SHA1':
      return new CryptoHasher('sha1');
    case 'SHA256':
      return new CryptoHasher('sha256');
    case 'CRC32':
      return new Crc32Hasher();
    case 'CRC32C':
      return new Crc32cHasher();
    case 'CRC64NVME':
      return new Crc64NvmeHasher();
  }
}

/** `CRC32` → `x-amz-checksum-crc32`. */
export function checksumHeader(algorithm: ChecksumAlgorithm): string {
  return `x-amz-checksum-${algorithm.toLowerCase()}`;
}

/** Parses an algorithm name in any case (`crc32c`, `CRC32C`); null when unknown. */
export function parseChecksumAlgorithm(value: string): ChecksumAlgorithm | null {
  const upper = value.toUpperCase();
  return (CHECKSUM_ALGORITHMS as readonly string[]).includes(upper) ? (upper as ChecksumAlgorithm) : null;
}

/** Byte length of each algorithm's raw digest, to validate base64 values sent by clients. */
export const CHECKSUM_DIGEST_BYTES: Record<ChecksumAlgorithm, number> = {
  CRC32: 4,
  CRC32C: 4,
  CRC64NVME: 8,
  SHA1: 20,
  SHA256: 32,
};
