/** Whether a statement grants or refuses what it matches. */
export type Effect = 'Allow' | 'Deny';

/** Which policy grammar applies: identity policies never name a principal, bucket policies must. */
export type PolicyKind = 'identity' | 'bucket';

/**
 * A `Principal`/`NotPrincipal` element after parsing: `'*'` (everyone, anonymous included) or a
 * map of principal type (`AWS`, `CanonicalUser`, `Service`, `Federated`) to its identifiers.
 */
export type PrincipalElement = '*' | Record<string, string[]>;

/** A `Condition` element after parsing: operator → condition key → values (always strings). */
export type ConditionBlock = Record<string, Record<string, string[]>>;

/**
 * One statement of a parsed policy. List elements are always arrays, so a document built by hand
 * (canned policies, presets) and one parsed from JSON look the same to the evaluator.
 */
export interface PolicyStatement {
  Sid?: string;
  Effect: Effect;
  Principal?: PrincipalElement;
  NotPrincipal?: PrincipalElement;
  Action?: string[];
  NotAction?: string[];
  Resource?: string[];
  NotResource?: string[];
  Condition?: ConditionBlock;
}

/** A parsed IAM, session or bucket policy. `JSON.stringify` of it is a valid policy again. */
export interface PolicyDocument {
  /** '2012-10-17' enables policy variables; '2008-10-17' or none keeps `${…}` literal. */
  Version?: string;
  Id?: string;
  Statement: PolicyStatement[];
}

/** The caller, as the authentication step established it. */
export type RequestPrincipal =
  | { type: 'anonymous' }
  | { type: 'user'; arn: string; accessKeyId: string; userName: string; userId: string };

/** A context value: absent, one value, or several (multivalued keys such as s3:RequestObjectTagKeys). */
export type ContextValue = string | string[] | undefined;

/** Everything a policy may look at for one action on one resource. */
export interface RequestFacts {
  /** 's3:GetObject', 'iam:CreateUser', … (matched case-insensitively). */
  action: string;
  /** 'arn:aws:s3:::bucket/key', 'arn:aws:s3:::bucket', 'arn:aws:s3:::*' (service level) or '*'. */
  resource: string;
  principal: RequestPrincipal;
  /**
   * Condition keys (looked up case-insensitively): aws:SourceIp, aws:SecureTransport,
   * aws:CurrentTime, aws:EpochTime, aws:username, aws:userid, s3:prefix, s3:delimiter,
   * s3:max-keys, s3:x-amz-acl, s3:ExistingObjectTag/<key>, s3:RequestObjectTagKeys, …
   * aws:username, aws:userid and aws:PrincipalArn default to the principal's when absent.
   */
  context: Record<string, ContextValue>;
}

/** One policy's verdict: an explicit Deny, an Allow, or nothing said (an implicit deny). */
export type Decision = 'Allow' | 'Deny' | 'NotApplicable';

/** The final verdict of {@link decide}, with a reason fit for logs (never for the client). */
export interface AccessDecision {
  allowed: boolean;
  reason: string;
}
