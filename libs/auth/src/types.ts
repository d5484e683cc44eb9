import type { Readable } from 'node:stream';

/** The request as the HTTP server received it; nothing in it is trusted yet. */
export interface IncomingSignedRequest {
  /** 'GET', 'PUT', ... (upper case). */
  method: string;
  /** The request target exactly as received: percent-encoded path, optional '?' and raw query. */
  rawUrl: string;
  /** Node's IncomingHttpHeaders (lower-case names). */
  headers: Record<string, string | string[] | undefined>;
  /**
   * Node's `req.rawHeaders` (name, value, name, value, ...). Optional but recommended: Node joins
   * repeated headers with ', ' while signatures join them with ',', so only the raw list lets a
   * signature over a repeated header verify.
   */
  rawHeaders?: readonly string[];
  /** The bucket when it came from the Host header (virtual-host style); SigV2 signs it as '/bucket'. */
  bucketFromHost?: string;
  /**
   * Hex SHA-256 of the body when the caller has already read it (small bodies such as STS form
   * posts, whose SigV4 signs the body hash without an x-amz-content-sha256 header). Used only when
   * that header is absent.
   */
  bodySha256Hex?: string;
}

/** Looks up an access key's secret. Implemented by IAM (database + cache). */
export interface CredentialSource {
  /** The secret of `accessKeyId`; null when the key is unknown (→ InvalidAccessKeyId). */
  findSecret(accessKeyId: string): Promise<string | null>;
  /**
   * Optional: told when a request signed with a known key fails its signature check (lockout
   * bookkeeping). Awaited before the error is returned; must not throw.
   */
  recordSignatureFailure?(accessKeyId: string): Promise<void>;
}

/** Settings of a {@link RequestAuthenticator}. */
export interface AuthenticatorOptions {
  /** The only region accepted in a SigV4 credential scope. */
  region: string;
  /** The service of the S3 API in the credential scope, normally 's3'. */
  service: string;
  /** Services accepted in the credential scope; default `[service, 'sts']`. */
  services?: readonly string[];
  /** Largest accepted difference between the request time and the server clock; default 15 minutes. */
  maxClockSkewMs?: number;
  /** The clock; default `() => new Date()`. */
  now?: () => Date;
}

/** How a request proved (or did not prove) who sent it. */
export type AuthScheme =
  'anonymous' | 'sigv4-header' | 'sigv4-query' | 'sigv2-header' | 'sigv2-query' | 'access-key-headers';

/** What a streaming SigV4 body needs to verify its chunk and trailer signatures. */
export interface ChunkSigningContext {
  /** The derived SigV4 signing key (secret material: never log or serialise). */
  readonly signingKey: Buffer;
  /** The request timestamp as signed (ISO 8601 basic, e.g. 20130524T000000Z). */
  readonly timestamp: string;
  /** The credential scope, e.g. 20130524/us-east-1/s3/aws4_request. */
  readonly scope: string;
  /** The request signature (hex), which seeds the chunk signature chain. */
  readonly seedSignature: string;
}

/** How the body must be verified while it is read; consumed by `createVerifiedBody`. */
export type PayloadVerification =
  /** Nothing to check beyond Content-Length. */
  | { readonly mode: 'unsigned' }
  /** The body's SHA-256 must equal this lower-case hex digest. */
  | { readonly mode: 'sha256'; readonly sha256Hex: string }
  /**
   * The body is aws-chunked: chunk signatures are verified when `signing` is set; trailing headers
   * follow the last chunk when `hasTrailer` (and are signed when `signing` is set too).
   */
  | {
      readonly mode: 'aws-chunked';
      readonly signing: ChunkSigningContext | null;
      readonly hasTrailer: boolean;
    };

/** The outcome of a successful `authenticate`. */
export interface AuthenticatedRequest {
  readonly scheme: AuthScheme;
  /** The verified access key; absent only for 'anonymous'. */
  readonly accessKeyId?: string;
  /** x-amz-security-token (header or presigned query), passed through for STS checks done elsewhere. */
  readonly sessionToken?: string;
  /** The service of the SigV4 credential scope ('s3', 'sts', ...); absent for other schemes. */
  readonly service?: string;
  /** How the body must be verified. */
  readonly payload: PayloadVerification;
}

/** The decoded body, verified as it is consumed. */
export interface VerifiedBody {
  /**
   * The object bytes. Any mismatch (signature, digest, length, framing) is emitted as an S3Error
   * 'error' before 'end', so a consumer that stages bytes never publishes a bad body.
   */
  readonly stream: Readable;
  /** From Content-Length, or x-amz-decoded-content-length for aws-chunked; undefined when unknown. */
  readonly decodedLength: number | undefined;
  /**
   * Lower-case trailing headers (e.g. 'x-amz-checksum-crc32'), {} when none. Resolves when the
   * stream ends successfully; rejects with the stream's error otherwise.
   */
  readonly trailers: Promise<Record<string, string>>;
}
