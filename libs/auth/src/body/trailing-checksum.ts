import {
  CHECKSUM_DIGEST_BYTES,
  createHasher,
  parseChecksumAlgorithm,
  S3Error,
  S3Errors,
  type ChecksumAlgorithm,
  type Hasher,
} from '@myfsio/common';

const CHECKSUM_PREFIX = 'x-amz-checksum-';

/**
 * The trailing headers a request declares in x-amz-trailer, and the x-amz-checksum-* digest among
 * them, computed over the decoded bytes and compared with the trailer when the body ends.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html#trailing-checksums
 */
export class TrailingChecksum {
  private constructor(
    private readonly declared: readonly string[],
    private readonly algorithm: ChecksumAlgorithm | null,
    private readonly hasher: Hasher | null,
  ) {}

  /** Parses x-amz-trailer ("x-amz-checksum-crc32", comma-separated); throws InvalidRequest for unsupported names. */
  static fromTrailerHeader(value: string | undefined): TrailingChecksum {
    const declared = (value ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter((name) => name !== '');
    let algorithm: ChecksumAlgorithm | null = null;
    for (const name of declared) {
      const parsed = name.startsWith(CHECKSUM_PREFIX)
        ? parseChecksumAlgorithm(name.slice(CHECKSUM_PREFIX.length))
        : null;
      if (!parsed || algorithm) {
        throw S3Errors.invalidRequest('The value specified in the x-amz-trailer header is not supported');
      }
      algorithm = parsed;
    }
    return new TrailingChecksum(declared, algorithm, algorithm ? createHasher(algorithm) : null);
  }

  /** Feeds decoded body bytes. */
  update(data: Buffer): void {
    this.hasher?.update(data);
  }

  /**
   * Checks the received trailers against the declaration and the computed digest. Throws
   * InvalidRequest (undeclared, missing or malformed trailer) or BadDigest (checksum mismatch).
   */
  async verify(trailers: Record<string, string>): Promise<void> {
    for (const name of Object.keys(trailers)) {
      if (!this.declared.includes(name)) {
        throw S3Errors.invalidRequest(`The trailing header ${name} was not declared in x-amz-trailer.`);
      }
    }
    for (const name of this.declared) {
      if (trailers[name] === undefined) {
        throw S3Errors.invalidRequest(
          `The trailing header ${name} declared in x-amz-trailer was not received.`,
        );
      }
    }
    if (!this.algorithm || !this.hasher) {
      return;
    }
    const name = `${CHECKSUM_PREFIX}${this.algorithm.toLowerCase()}`;
    const value = trailers[name] ?? '';
    const provided = Buffer.from(value, 'base64');
    if (provided.length !== CHECKSUM_DIGEST_BYTES[this.algorithm] || provided.toString('base64') !== value) {
      throw S3Errors.invalidRequest(`Value for ${name} trailing header is invalid.`);
    }
    const computed = await this.hasher.digest();
    if (!computed.equals(provided)) {
      throw new S3Error('BadDigest', {
        message: `The ${this.algorithm} you specified did not match the calculated checksum.`,
      });
    }
  }
}
