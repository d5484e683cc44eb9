import { createHash, type Hash } from 'node:crypto';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { S3Error, S3Errors } from '@myfsio/common';
import { RequestHeaders } from '../request-parts';
import { ChunkSignatureChain } from '../sigv4/chunk-signature-chain';
import type { AuthenticatedRequest, IncomingSignedRequest, VerifiedBody } from '../types';
import { AwsChunkedDecoder } from './aws-chunked-decoder';
import { TrailingChecksum } from './trailing-checksum';

/** What the verifying transform checks. */
interface BodyChecks {
  readonly decoder: AwsChunkedDecoder | null;
  readonly sha256Hex: string | null;
  readonly trailing: TrailingChecksum | null;
  readonly rawLength: number | undefined;
  readonly decodedLength: number | undefined;
}

/**
 * Wraps the raw request body so it is decoded (aws-chunked) and verified (chunk and trailer
 * signatures, payload SHA-256, trailing x-amz-checksum-*, lengths) while it is consumed. Every
 * failure is an S3Error emitted before 'end'. Throws S3Error synchronously only for a malformed
 * x-amz-decoded-content-length or x-amz-trailer header. The caller owns `raw`; the returned stream
 * must be consumed or destroyed.
 */
export function createVerifiedBody(
  raw: NodeJS.ReadableStream | Readable,
  auth: AuthenticatedRequest,
  headers: IncomingSignedRequest['headers'],
): VerifiedBody {
  const bag = new RequestHeaders(headers);
  const { payload } = auth;
  const rawLength = parseLength(bag.get('content-length'), 'Content-Length');
  let checks: BodyChecks;
  if (payload.mode === 'aws-chunked') {
    const chain = payload.signing ? new ChunkSignatureChain(payload.signing) : null;
    checks = {
      decoder: new AwsChunkedDecoder({ chain, hasTrailer: payload.hasTrailer }),
      sha256Hex: null,
      trailing: payload.hasTrailer ? TrailingChecksum.fromTrailerHeader(bag.get('x-amz-trailer')) : null,
      rawLength,
      decodedLength: parseLength(bag.get('x-amz-decoded-content-length'), 'x-amz-decoded-content-length'),
    };
  } else {
    checks = {
      decoder: null,
      sha256Hex: payload.mode === 'sha256' ? payload.sha256Hex : null,
      trailing: null,
      rawLength,
      decodedLength: rawLength,
    };
  }
  const stream = new VerifyingTransform(checks);
  attachSource(raw, stream);
  return { stream, decodedLength: checks.decodedLength, trailers: stream.trailers };
}

function parseLength(value: string | undefined, name: string): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const trimmed = value.trim();
  if (!/^\d{1,15}$/.test(trimmed)) {
    throw S3Errors.invalidArgument(name, value, `Invalid ${name}: ${value}`);
  }
  return Number(trimmed);
}

/** Pipes `raw` into `stream`; a failing or prematurely closed source becomes IncompleteBody. */
function attachSource(raw: NodeJS.ReadableStream | Readable, stream: VerifyingTransform): void {
  let ended = false;
  // The source's own error (ECONNRESET, 'aborted') says nothing more to an S3 client than this.
  const fail = () => {
    if (!ended && !stream.destroyed) {
      stream.destroy(
        new S3Error('IncompleteBody', { message: 'The request body could not be read completely.' }),
      );
    }
  };
  raw.once('end', () => {
    ended = true;
  });
  raw.on('error', fail);
  raw.on('aborted', fail);
  raw.once('close', fail);
  raw.pipe(stream);
}

class VerifyingTransform extends Transform {
  readonly trailers: Promise<Record<string, string>>;
  private resolveTrailers!: (trailers: Record<string, string>) => void;
  private rejectTrailers!: (error: unknown) => void;
  /** Whether `trailers` has settled: a body that ended well needs no error on destroy. */
  private isSettled = false;
  private readonly hash: Hash | null;
  private rawBytes = 0;
  private decodedBytes = 0;

  constructor(private readonly checks: BodyChecks) {
    super();
    this.hash = checks.sha256Hex ? createHash('sha256') : null;
    this.trailers = new Promise((resolve, reject) => {
      this.resolveTrailers = resolve;
      this.rejectTrailers = reject;
    });
    // The rejection is delivered to whoever awaits `trailers`; nobody awaiting it is not a crash.
    this.trailers.catch(() => undefined);
  }

  override _transform(chunk: Buffer | string, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      const input = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      this.rawBytes += input.length;
      if (this.checks.rawLength !== undefined && this.rawBytes > this.checks.rawLength) {
        throw S3Errors.invalidRequest('The request body is longer than its Content-Length.');
      }
      if (this.checks.decoder) {
        this.checks.decoder.write(input, (data) => this.emitData(data));
      } else {
        this.emitData(input);
      }
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    this.finish().then(
      (trailers) => {
        this.isSettled = true;
        this.resolveTrailers(trailers);
        callback();
      },
      (error: unknown) => callback(error as Error),
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // Every stream is destroyed at its end (autoDestroy): build the error only when it is owed.
    if (!this.isSettled) {
      this.isSettled = true;
      this.rejectTrailers(
        error ?? new S3Error('IncompleteBody', { message: 'The request body was not read completely.' }),
      );
    }
    callback(error);
  }

  private emitData(data: Buffer): void {
    this.decodedBytes += data.length;
    if (
      this.checks.decoder &&
      this.checks.decodedLength !== undefined &&
      this.decodedBytes > this.checks.decodedLength
    ) {
      throw S3Errors.invalidRequest('The decoded body is longer than x-amz-decoded-content-length.');
    }
    this.hash?.update(data);
    this.checks.trailing?.update(data);
    this.push(data);
  }

  /** The end-of-body checks, in the order that names the most specific problem first. */
  private async finish(): Promise<Record<string, string>> {
    const { rawLength, decodedLength, decoder, sha256Hex, trailing } = this.checks;
    if (rawLength !== undefined && this.rawBytes < rawLength) {
      throw new S3Error('IncompleteBody');
    }
    const trailers = decoder ? decoder.end() : {};
    if (decodedLength !== undefined && this.decodedBytes < decodedLength) {
      throw new S3Error('IncompleteBody', {
        message:
          'You did not provide the number of bytes specified by the x-amz-decoded-content-length header.',
      });
    }
    if (this.hash && sha256Hex) {
      const computed = this.hash.digest('hex');
      if (computed !== sha256Hex) {
        throw new S3Error('XAmzContentSHA256Mismatch', {
          fields: { ClientComputedContentSHA256: sha256Hex, S3ComputedContentSHA256: computed },
        });
      }
    }
    await trailing?.verify(trailers);
    return trailers;
  }
}
