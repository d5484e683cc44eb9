import { S3Error } from '@myfsio/common';

/** The STS API version AssumeRole answers (the only one). */
export const STS_VERSION = '2011-06-15';
/** The XML namespace of STS responses and errors. */
export const STS_XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';
export const MIN_DURATION_SECONDS = 900;
export const MAX_DURATION_SECONDS = 604_800;
export const DEFAULT_DURATION_SECONDS = 3600;
/** The longest inline session policy STS accepts (characters). */
export const MAX_SESSION_POLICY_LENGTH = 2048;

/** A validated AssumeRole request. */
export interface AssumeRoleParams {
  durationSeconds: number;
  /** The inline session policy JSON, when given. */
  policy?: string;
  /** Accepted and echoed in the assumed-role ARN; it selects nothing here. */
  roleArn?: string;
  roleSessionName?: string;
}

const SESSION_NAME = /^[\w+=,.@-]*$/;
const MIN_SESSION_NAME = 2;
const MAX_SESSION_NAME = 64;

function validationError(value: string, member: string, constraint: string): S3Error {
  return new S3Error('ValidationError', {
    message: `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`,
  });
}

// STS names the constraint that failed: the length first, then the pattern (as AWS words it).
function checkSessionName(name: string): void {
  if (name.length < MIN_SESSION_NAME) {
    throw validationError(
      name,
      'roleSessionName',
      `Member must have length greater than or equal to ${MIN_SESSION_NAME}`,
    );
  }
  if (name.length > MAX_SESSION_NAME) {
    throw validationError(
      name,
      'roleSessionName',
      `Member must have length less than or equal to ${MAX_SESSION_NAME}`,
    );
  }
  if (!SESSION_NAME.test(name)) {
    throw validationError(
      name,
      'roleSessionName',
      'Member must satisfy regular expression pattern: [\\w+=,.@-]*',
    );
  }
}

/**
 * Parses the parameters of `POST /?Action=AssumeRole` (query and form body merged, body last),
 * with STS's errors: InvalidAction for another Action, MissingParameter/InvalidParameterValue
 * for Version, ValidationError for DurationSeconds outside 900..604800, a RoleSessionName that
 * is not 2-64 of [\w+=,.@-], or a Policy longer than 2048 characters.
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
 */
export function parseAssumeRoleParams(params: URLSearchParams): AssumeRoleParams {
  const action = params.get('Action');
  if (action !== 'AssumeRole') {
    throw new S3Error('InvalidAction', {
      message: `Could not find operation ${action ?? ''} for version ${params.get('Version') ?? ''}`,
    });
  }
  const version = params.get('Version');
  if (version === null) {
    throw new S3Error('MissingParameter', { message: 'The request must contain the parameter Version' });
  }
  if (version !== STS_VERSION) {
    throw new S3Error('InvalidParameterValue', {
      message: `Unsupported Version: ${version}; expected ${STS_VERSION}`,
    });
  }
  const rawDuration = params.get('DurationSeconds');
  let durationSeconds = DEFAULT_DURATION_SECONDS;
  if (rawDuration !== null) {
    durationSeconds = /^\d{1,9}$/.test(rawDuration) ? Number(rawDuration) : NaN;
    if (Number.isNaN(durationSeconds) || durationSeconds < MIN_DURATION_SECONDS) {
      throw validationError(
        rawDuration,
        'durationSeconds',
        `Member must have value greater than or equal to ${MIN_DURATION_SECONDS}`,
      );
    }
    if (durationSeconds > MAX_DURATION_SECONDS) {
      throw validationError(
        rawDuration,
        'durationSeconds',
        `Member must have value less than or equal to ${MAX_DURATION_SECONDS}`,
      );
    }
  }
  const policy = params.get('Policy') ?? undefined;
  if (policy !== undefined && (policy.length < 1 || policy.length > MAX_SESSION_POLICY_LENGTH)) {
    throw validationError(
      '(policy)',
      'policy',
      `Member must have length less than or equal to ${MAX_SESSION_POLICY_LENGTH}`,
    );
  }
  const roleSessionName = params.get('RoleSessionName') ?? undefined;
  if (roleSessionName !== undefined) {
    checkSessionName(roleSessionName);
  }
  return { durationSeconds, policy, roleArn: params.get('RoleArn') ?? undefined, roleSessionName };
}

/** Temporary credentials as AssumeRole returns them. */
export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  /** The assumed-role user's ARN and id. */
  assumedRoleArn: string;
  assumedRoleId: string;
}

/** AWS's date-time form without milliseconds, as STS writes Expiration. */
function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The body of `<AssumeRoleResponse>` (namespace {@link STS_XMLNS}). */
export function assumeRoleResponseBody(creds: TemporaryCredentials, requestId: string) {
  return {
    AssumeRoleResult: {
      Credentials: {
        AccessKeyId: creds.accessKeyId,
        SecretAccessKey: creds.secretAccessKey,
        SessionToken: creds.sessionToken,
        Expiration: isoSeconds(creds.expiration),
      },
      AssumedRoleUser: { Arn: creds.assumedRoleArn, AssumedRoleId: creds.assumedRoleId },
    },
    ResponseMetadata: { RequestId: requestId },
  };
}

/** The body of STS's `<ErrorResponse>`: client errors are Type Sender, server errors Receiver. */
export function stsErrorBody(error: S3Error, requestId: string) {
  return {
    Error: { Type: error.status >= 500 ? 'Receiver' : 'Sender', Code: error.code, Message: error.message },
    RequestId: requestId,
  };
}
