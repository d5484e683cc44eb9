/**
 * Request authentication for the S3 gateway: SigV4 (header, presigned query, streaming chunked
 * bodies with signed or unsigned trailers), SigV2 (header and query), and MyFSIO's
 * X-Access-Key / X-Secret-Key headers. Pure TypeScript over node:crypto and node:stream.
 */
export { createVerifiedBody } from './body/verified-body';
export { DEFAULT_MAX_CLOCK_SKEW_MS, RequestAuthenticator } from './request-authenticator';
export type {
  AuthenticatedRequest,
  AuthenticatorOptions,
  AuthScheme,
  ChunkSigningContext,
  CredentialSource,
  IncomingSignedRequest,
  PayloadVerification,
  VerifiedBody,
} from './types';
