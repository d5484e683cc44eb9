import { classifyContentSha256, UNSIGNED_PAYLOAD } from '../content-sha256';
import { EMPTY_SHA256 } from '../crypto';
import { assertWithinSkew, invalidAccessKeyId, type SigV4Location } from '../errors';
import type { RequestHeaders, RequestTarget } from '../request-parts';
import type {
  AuthenticatedRequest,
  CredentialSource,
  IncomingSignedRequest,
  PayloadVerification,
} from '../types';
import { scopeString, type ScopeRules } from './credential-scope';
import { parseAuthorizationHeader } from './header-auth';
import { parsePresignedQuery } from './presigned-auth';
import { checkSigV4Signature } from './signature-check';
import type { SigningKeyCache } from './signing-key-cache';
import type { SigV4Claims } from './sigv4-claims';

/** Server-side settings of SigV4 verification. */
export interface SigV4Settings {
  readonly rules: ScopeRules;
  readonly maxClockSkewMs: number;
  readonly now: Date;
  readonly keys: SigningKeyCache;
  readonly credentials: CredentialSource;
}

/** The canonical payload-hash line and how the body must then be checked (signing filled in later). */
interface PayloadPlan {
  readonly payloadHash: string;
  readonly verification: (claims: SigV4Claims, signingKey: Buffer) => PayloadVerification;
}

/**
 * Verifies a SigV4 request (Authorization header or presigned query):
 * 1. parse the claims and check their shape, scope and time (cheap checks before any lookup);
 * 2. read the payload hash the client signed;
 * 3. look up the secret, derive (or reuse) the signing key, recompute and compare the signature.
 */
export async function authenticateSigV4(
  req: IncomingSignedRequest,
  target: RequestTarget,
  headers: RequestHeaders,
  location: SigV4Location,
  authorization: string,
  settings: SigV4Settings,
): Promise<AuthenticatedRequest> {
  // 1. Claims, scope and time.
  let claims: SigV4Claims;
  if (location === 'header') {
    claims = parseAuthorizationHeader(authorization, headers, settings.rules);
    assertWithinSkew(claims.requestTime, settings.now, settings.maxClockSkewMs);
  } else {
    claims = parsePresignedQuery(target, headers, settings.rules, settings.now, settings.maxClockSkewMs);
  }
  // 2. Payload hash.
  const plan = planPayload(req, headers, location);
  // 3. Secret, signing key, signature.
  const { scope } = claims;
  const secret = await settings.credentials.findSecret(scope.accessKeyId);
  if (secret === null) {
    throw invalidAccessKeyId(scope.accessKeyId);
  }
  const signingKey = settings.keys.get(secret, scope.date, scope.region, scope.service);
  checkSigV4Signature({
    method: req.method,
    target,
    headers,
    claims,
    payloadHash: plan.payloadHash,
    signingKey,
  });
  return {
    scheme: location === 'header' ? 'sigv4-header' : 'sigv4-query',
    accessKeyId: scope.accessKeyId,
    sessionToken: claims.sessionToken,
    service: scope.service,
    payload: plan.verification(claims, signingKey),
  };
}

function planPayload(
  req: IncomingSignedRequest,
  headers: RequestHeaders,
  location: SigV4Location,
): PayloadPlan {
  const declared = headers.get('x-amz-content-sha256')?.trim();
  if (declared === undefined) {
    if (location === 'query') {
      return { payloadHash: UNSIGNED_PAYLOAD, verification: () => ({ mode: 'unsigned' }) };
    }
    // Without the header the body hash itself is signed: the caller may have hashed a small body
    // (STS form posts); otherwise only an empty body can match, and the body stream enforces that.
    const sha256Hex = req.bodySha256Hex?.toLowerCase() ?? EMPTY_SHA256;
    return { payloadHash: sha256Hex, verification: () => ({ mode: 'sha256', sha256Hex }) };
  }
  const content = classifyContentSha256(declared);
  switch (content.kind) {
    case 'sha256':
      return {
        payloadHash: declared,
        verification: () => ({ mode: 'sha256', sha256Hex: content.sha256Hex }),
      };
    case 'unsigned':
      return { payloadHash: declared, verification: () => ({ mode: 'unsigned' }) };
    case 'streaming-unsigned-trailer':
      return {
        payloadHash: declared,
        verification: () => ({ mode: 'aws-chunked', signing: null, hasTrailer: true }),
      };
    case 'streaming-signed':
      return {
        payloadHash: declared,
        verification: (claims, signingKey) => ({
          mode: 'aws-chunked',
          hasTrailer: content.hasTrailer,
          signing: {
            signingKey,
            timestamp: claims.timestamp,
            scope: scopeString(claims.scope),
            seedSignature: claims.signature.toLowerCase(),
          },
        }),
      };
  }
}
