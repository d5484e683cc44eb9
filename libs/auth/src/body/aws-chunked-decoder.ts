import { createHash, type Hash } from 'node:crypto';
import { S3Error, S3Errors } from '@myfsio/common';
import { EMPTY_SHA256 } from '../crypto';
import type { ChunkSignatureChain } from '../sigv4/chunk-signature-chain';

/** Longest chunk-size or trailer line accepted; real ones are ~100 bytes. */
const MAX_LINE_BYTES = 4096;
const LF = 0x0a;
const CR = 0x0d;

type State = 'size-line' | 'data' | 'data-cr' | 'data-lf' | 'trailer-line' | 'done';

/** How an aws-chunked body is framed and signed. */
export interface AwsChunkedOptions {
  /** Verifies chunk (and trailer) signatures; null for STREAMING-UNSIGNED-PAYLOAD-TRAILER. */
  readonly chain: ChunkSignatureChain | null;
  /** Trailing headers follow the final chunk. */
  readonly hasTrailer: boolean;
}

/**
 * Incremental decoder of `aws-chunked` bodies:
 *   hex-size[;chunk-signature=sig]\r\n data \r\n ... 0[;chunk-signature=sig]\r\n [trailer lines] \r\n
 * It accepts input split anywhere, hands out data as zero-copy slices of the input, and keeps only
 * a partial header line (≤ 4 KiB) between writes, so memory stays bounded whatever the body size.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
 */
export class AwsChunkedDecoder {
  private state: State = 'size-line';
  private readonly lineParts: Buffer[] = [];
  private lineBytes = 0;
  private remaining = 0;
  private chunkHash: Hash | null = null;
  private chunkSignature = '';
  private readonly trailerList: [string, string][] = [];
  private trailerSignature: string | undefined;

  constructor(private readonly options: AwsChunkedOptions) {}

  /** Consumes `input`, calling `emit` with each run of decoded bytes. Throws S3Error on bad framing or signature. */
  write(input: Buffer, emit: (data: Buffer) => void): void {
    let pos = 0;
    while (pos < input.length) {
      switch (this.state) {
        case 'size-line':
        case 'trailer-line': {
          const newline = input.indexOf(LF, pos);
          this.appendLine(input.subarray(pos, newline < 0 ? input.length : newline));
          if (newline < 0) {
            return;
          }
          pos = newline + 1;
          const line = this.takeLine();
          if (this.state === 'size-line') {
            this.onSizeLine(line);
          } else {
            this.onTrailerLine(line);
          }
          break;
        }
        case 'data': {
          const end = Math.min(input.length, pos + this.remaining);
          const data = input.subarray(pos, end);
          this.chunkHash?.update(data);
          emit(data);
          this.remaining -= end - pos;
          pos = end;
          if (this.remaining === 0) {
            this.verifyChunk(this.chunkHash?.digest('hex') ?? EMPTY_SHA256);
            this.state = 'data-cr';
          }
          break;
        }
        case 'data-cr':
        case 'data-lf': {
          const byte = input[pos++];
          if (byte === LF) {
            this.state = 'size-line';
          } else if (byte === CR && this.state === 'data-cr') {
            this.state = 'data-lf';
          } else {
            throw framingError('chunk data is not followed by CRLF');
          }
          break;
        }
        case 'done':
          throw framingError('data follows the final chunk');
      }
    }
  }

  /**
   * Called at the end of input: checks that the body was complete and returns the trailing headers
   * (lower-case names, without x-amz-trailer-signature). Throws IncompleteBody when truncated.
   */
  end(): Record<string, string> {
    // Some signers stop right after the last trailer line (or the final chunk) without the closing CRLF.
    if (this.state === 'trailer-line' && this.lineBytes === 0) {
      this.finishTrailers();
    }
    if (this.state !== 'done') {
      throw new S3Error('IncompleteBody', { message: 'The aws-chunked body ended before its final chunk.' });
    }
    return Object.fromEntries(this.trailerList);
  }

  private appendLine(part: Buffer): void {
    this.lineBytes += part.length;
    if (this.lineBytes > MAX_LINE_BYTES) {
      throw framingError('a chunk header or trailer line is too long');
    }
    if (part.length > 0) {
      this.lineParts.push(part);
    }
  }

  private takeLine(): string {
    const line = Buffer.concat(this.lineParts, this.lineBytes).toString('latin1');
    this.lineParts.length = 0;
    this.lineBytes = 0;
    return line.endsWith('\r') ? line.slice(0, -1) : line;
  }

  private onSizeLine(line: string): void {
    const match = /^([0-9a-fA-F]{1,16})((?:;[^;]*)*)$/.exec(line);
    const size = match ? parseInt(match[1] as string, 16) : NaN;
    if (!match || !Number.isSafeInteger(size)) {
      throw framingError('invalid chunk size line');
    }
    this.chunkSignature = /;\s*chunk-signature=([^;]*)/.exec(match[2] ?? '')?.[1]?.trim() ?? '';
    if (size > 0) {
      this.remaining = size;
      this.chunkHash = this.options.chain ? createHash('sha256') : null;
      this.state = 'data';
      return;
    }
    this.verifyChunk(EMPTY_SHA256);
    this.state = 'trailer-line';
  }

  private verifyChunk(sha256Hex: string): void {
    const { chain } = this.options;
    if (chain && !chain.verifyChunk(sha256Hex, this.chunkSignature)) {
      throw new S3Error('SignatureDoesNotMatch', {
        message: 'The chunk signature we calculated does not match the signature you provided.',
      });
    }
  }

  private onTrailerLine(line: string): void {
    if (line === '') {
      this.finishTrailers();
      return;
    }
    const colon = line.indexOf(':');
    if (!this.options.hasTrailer || colon <= 0) {
      throw framingError('unexpected data after the final chunk');
    }
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'x-amz-trailer-signature') {
      this.trailerSignature = value;
    } else {
      this.trailerList.push([name, value]);
    }
  }

  private finishTrailers(): void {
    const { chain, hasTrailer } = this.options;
    if (chain && hasTrailer) {
      const signature = this.trailerSignature;
      // Signers canonicalise trailers in the order sent or sorted by name (.NET); accept either.
      const sorted = [...this.trailerList].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      const matches = (list: [string, string][]) =>
        signature !== undefined &&
        chain.verifyTrailer(list.map(([n, v]) => `${n}:${v}\n`).join(''), signature);
      if (!matches(this.trailerList) && !matches(sorted)) {
        throw new S3Error('SignatureDoesNotMatch', {
          message: 'The trailer signature we calculated does not match the signature you provided.',
        });
      }
    }
    this.state = 'done';
  }
}

function framingError(detail: string): S3Error {
  return S3Errors.invalidRequest(`Malformed aws-chunked body: ${detail}.`);
}
