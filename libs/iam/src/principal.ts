import type { PolicyDocument } from '@myfsio/policy';

/** Who is making a request, once authentication and the identity checks have passed. */
export type Principal = AnonymousPrincipal | UserPrincipal;

export interface AnonymousPrincipal {
  kind: 'anonymous';
}

export interface UserPrincipal {
  kind: 'user';
  /** The user the request acts as (for a service account or an STS session: its parent user). */
  userId: string;
  userName: string;
  displayName: string;
  /** The access key that signed the request. */
  accessKeyId: string;
  /** `arn:aws:iam::<account>:user/<name>`, as bucket policies name principals. */
  arn: string;
  /** The bootstrap administrator: every action is allowed. */
  isRoot: boolean;
  /**
   * The identity policies in force: the user's inline and attached policies and those of its
   * enabled groups (for a service account or an STS session: its parent user's). Parsed once
   * and cached with the credential, so authorization costs no database round-trip.
   */
  identityPolicies: readonly PolicyDocument[];
  /** A service account's or STS session's policy: permissions are the intersection with it. */
  sessionPolicy?: PolicyDocument;
}

export const ANONYMOUS: AnonymousPrincipal = { kind: 'anonymous' };

/** The ARN bucket policies and `aws:PrincipalArn` use for a user name. */
export function userArn(userName: string): string {
  return `arn:aws:iam::000000000000:user/${userName}`;
}
