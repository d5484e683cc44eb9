import type { SigV4Location } from '../errors';
import type { CredentialScope } from './credential-scope';

/** What a SigV4 request claims, parsed from the Authorization header or the presigned query. */
export interface SigV4Claims {
  readonly location: SigV4Location;
  readonly scope: CredentialScope;
  /** Lower-case header names, in the order the client listed them. */
  readonly signedHeaders: readonly string[];
  /** The client's signature (hex). */
  readonly signature: string;
  /** The timestamp exactly as it enters the string to sign (ISO 8601 basic). */
  readonly timestamp: string;
  readonly requestTime: Date;
  /** x-amz-security-token, when present. */
  readonly sessionToken?: string;
}

/** Parses SignedHeaders ("host;x-amz-date"); null when malformed or when host is not signed. */
export function parseSignedHeaders(value: string): string[] | null {
  const names = value.split(';').map((name) => name.trim().toLowerCase());
  if (names.some((name) => name === '') || !names.includes('host')) {
    return null;
  }
  return names;
}
