import { isS3Error } from '@myfsio/common';
import { authenticateAccessKeyHeaders, hasAccessKeyHeaders } from './access-key-headers';
import { payloadWithoutSigV4 } from './content-sha256';
import { multipleAuthMechanisms } from './errors';
import { parseRequestTarget, RequestHeaders, type RequestTarget } from './request-parts';
import { authenticateSigV2Header, authenticateSigV2Query } from './sigv2/sigv2-auth';
import { SIGV4_ALGORITHM, unsupportedAuthorization } from './sigv4/header-auth';
import { hasPresignedV4 } from './sigv4/presigned-auth';
import { authenticateSigV4 } from './sigv4/sigv4-auth';
import { SigningKeyCache } from './sigv4/signing-key-cache';
import type {
  AuthenticatedRequest,
  AuthenticatorOptions,
  CredentialSource,
  IncomingSignedRequest,
} from './types';

/** S3's limit on the difference between request time and server time. */
export const DEFAULT_MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

type Mechanism = 'sigv4-header' | 'sigv2-header' | 'sigv4-query' | 'sigv2-query' | 'access-key-headers';

/**
 * Verifies who sent a request: SigV4 (Authorization header or presigned query), SigV2 (header or
 * query), MyFSIO's X-Access-Key/X-Secret-Key headers, or nobody (anonymous). Stateless apart from a
 * bounded signing-key cache, so one instance serves all requests.
 */
export class RequestAuthenticator {
  private readonly keys = new SigningKeyCache();
  private readonly services: readonly string[];
  private readonly maxClockSkewMs: number;
  private readonly now: () => Date;

  constructor(
    private readonly options: AuthenticatorOptions,
    private readonly credentials: CredentialSource,
  ) {
    this.services = options.services ?? [options.service, 'sts'];
    this.maxClockSkewMs = options.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS;
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Verifies the signature of the request line and headers (the body is verified later, as it is
   * read, through `createVerifiedBody`). Returns scheme 'anonymous' when no credentials are present.
   * Throws S3Error: InvalidArgument (unsupported or several mechanisms), AuthorizationHeaderMalformed,
   * AuthorizationQueryParametersError, AccessDenied (no date, expired URL), RequestTimeTooSkewed,
   * InvalidAccessKeyId, SignatureDoesNotMatch.
   */
  async authenticate(req: IncomingSignedRequest): Promise<AuthenticatedRequest> {
    try {
      return await this.verify(req);
    } catch (err) {
      // A wrong signature for a known key counts towards its user's lockout.
      const accessKeyId =
        isS3Error(err) && err.code === 'SignatureDoesNotMatch' ? err.fields.AWSAccessKeyId : undefined;
      if (typeof accessKeyId === 'string' && this.credentials.recordSignatureFailure) {
        await this.credentials.recordSignatureFailure(accessKeyId);
      }
      throw err;
    }
  }

  private async verify(req: IncomingSignedRequest): Promise<AuthenticatedRequest> {
    const target = parseRequestTarget(req.rawUrl);
    const headers = new RequestHeaders(req.headers, req.rawHeaders);
    const authorization = headers.get('authorization');
    const mechanism = detectMechanism(authorization, target, headers);
    const now = this.now();
    const sigV2 = { maxClockSkewMs: this.maxClockSkewMs, now, credentials: this.credentials };
    switch (mechanism) {
      case null:
        return { scheme: 'anonymous', payload: payloadWithoutSigV4(headers) };
      case 'sigv4-header':
      case 'sigv4-query':
        return authenticateSigV4(
          req,
          target,
          headers,
          mechanism === 'sigv4-header' ? 'header' : 'query',
          authorization ?? '',
          {
            rules: { region: this.options.region, services: this.services },
            maxClockSkewMs: this.maxClockSkewMs,
            now,
            keys: this.keys,
            credentials: this.credentials,
          },
        );
      case 'sigv2-header':
        return authenticateSigV2Header(req, target, headers, authorization ?? '', sigV2);
      case 'sigv2-query':
        return authenticateSigV2Query(req, target, headers, sigV2);
      case 'access-key-headers':
        return authenticateAccessKeyHeaders(headers, this.credentials);
    }
  }
}

/** Which mechanism the request uses; null when none. Throws when there are several or an unknown one. */
function detectMechanism(
  authorization: string | undefined,
  target: RequestTarget,
  headers: RequestHeaders,
): Mechanism | null {
  const found: Mechanism[] = [];
  if (authorization !== undefined && authorization.trim() !== '') {
    if (authorization.startsWith(`${SIGV4_ALGORITHM} `)) {
      found.push('sigv4-header');
    } else if (authorization.startsWith('AWS ')) {
      found.push('sigv2-header');
    } else {
      throw unsupportedAuthorization(authorization);
    }
  }
  if (hasPresignedV4(target)) {
    found.push('sigv4-query');
  }
  if (target.params.some((p) => p.name === 'AWSAccessKeyId' || p.name === 'Signature')) {
    found.push('sigv2-query');
  }
  if (hasAccessKeyHeaders(headers)) {
    found.push('access-key-headers');
  }
  if (found.length > 1) {
    throw multipleAuthMechanisms();
  }
  return found[0] ?? null;
}
