import { aclGrants, aclPermissionFor, AclService, BucketPolicyService, hasAclHeaders } from '@myfsio/access';
import type { AclCaller, AclPermission } from '@myfsio/access';
import { BucketsService } from '@myfsio/buckets';
import { S3Errors } from '@myfsio/common';
import type { Bucket } from '@myfsio/metadata';
import { parseCopySource } from '@myfsio/objects';
import {
  buildRequestContext,
  decide,
  OPERATION_ACTIONS,
  requiredPermissions,
  s3ResourceArn,
  type ContextValue,
  type DecisionInput,
  type PolicyDocument,
  type RequestContextInput,
  type RequestPrincipal,
  mentionsExistingObjectTag,
} from '@myfsio/policy';
import { Injectable } from '@nestjs/common';
import type { Principal } from './principal';

type HeaderBag = Record<string, string | string[] | undefined>;

/** What the authorization step is asked about; the gateway's operation carries name, bucket and key. */
export interface AuthorizationRequest {
  op: { name: string; bucket?: string; key?: string; query: URLSearchParams };
  principal: Principal;
  sourceIp: string;
  isSecureTransport: boolean;
  /** Request headers with lower-case names: condition keys, the copy source and ACL headers. */
  headers?: HeaderBag;
  /** How the request was authenticated ('sigv4-header', 'sigv2-query', 'anonymous', …): s3:authType. */
  authScheme?: string;
}

/** One (action, resource) pair to allow, with where it points (for the bucket's policy and ACLs). */
interface Check {
  action: string;
  resource: string;
  bucket?: string;
  key?: string;
  versionId?: string;
}

// Writes that set an ACL also need the ACL permission, as in S3 (PutObject with x-amz-acl needs
// s3:PutObjectAcl too). https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
const ACL_ON_WRITE: Record<string, string> = {
  PutObject: 's3:PutObjectAcl',
  CopyObject: 's3:PutObjectAcl',
  CreateMultipartUpload: 's3:PutObjectAcl',
  CreateBucket: 's3:PutBucketAcl',
};

// The reads whose missing key S3 reveals only to a caller who may list the bucket.
const CONCEALS_MISSING_KEY = new Set(['GetObject', 'HeadObject', 'GetObjectAttributes']);

function authOf(scheme: string | undefined): RequestContextInput['auth'] {
  if (scheme === undefined || scheme === 'anonymous') {
    return undefined;
  }
  return {
    type: scheme.endsWith('-query') ? 'REST-QUERY-STRING' : 'REST-HEADER',
    signatureVersion: scheme.startsWith('sigv2') ? 'AWS' : 'AWS4-HMAC-SHA256',
  };
}

function single(headers: HeaderBag | undefined, name: string): string | undefined {
  const v = headers?.[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * The authorization step of every S3 request: the (action, resource) pairs the operation needs
 * (`requiredPermissions`: version actions for a versionId, read on the copy source, the ACL
 * permission when a write sets an ACL) are each decided by the policy engine over the caller's
 * identity and session policies, the bucket policy and the bucket or object ACL; an explicit
 * Deny anywhere wins, and anonymous callers pass only through a bucket policy or an ACL.
 * Bucket policies are cached by BucketPolicyService and bucket rows by BucketsService, so an
 * allowed request costs no database round-trip while nothing changed; an object ACL is read only
 * when policies alone did not allow the request.
 */
@Injectable()
export class Authorizer {
  /** The condition context of each DeleteObjects request, while the request is alive. */
  private readonly keyContexts = new WeakMap<AuthorizationRequest, Record<string, ContextValue>>();

  constructor(
    private readonly buckets: BucketsService,
    private readonly policies: BucketPolicyService,
    private readonly acls: AclService,
  ) {}

  /**
   * Throws AccessDenied unless every pair the operation needs is allowed. A missing bucket is
   * not revealed to a caller without permission (AccessDenied); a caller with permission goes
   * on to the handler's NoSuchBucket. DeleteObjects is decided per key ({@link isKeyAllowed}).
   */
  async authorize(request: AuthorizationRequest): Promise<void> {
    const { op, principal } = request;
    if (op.name === 'AssumeRole') {
      // STS checks the caller's sts:AssumeRole itself; anonymous callers never get that far.
      if (principal.kind === 'anonymous') {
        throw S3Errors.accessDenied();
      }
      return;
    }
    if (op.name === 'DeleteObjects') {
      return;
    }
    const context = this.contextOf(request);
    for (const check of this.checksOf(request)) {
      if (!(await this.allows(principal, check, context))) {
        throw S3Errors.accessDenied();
      }
    }
  }

  /** DeleteObjects, per listed key: s3:DeleteObject, or s3:DeleteObjectVersion with a versionId. */
  async isKeyAllowed(
    request: AuthorizationRequest,
    key: string,
    versionId: string | undefined,
  ): Promise<boolean> {
    const bucket = request.op.bucket ?? '';
    const [pair] = requiredPermissions('DeleteObjects', {
      bucket,
      key,
      hasVersionId: versionId !== undefined,
    });
    if (pair === undefined) {
      return false;
    }
    // One request lists up to 1000 keys: its condition context is built once, not per key.
    let context = this.keyContexts.get(request);
    if (context === undefined) {
      context = this.contextOf(request);
      this.keyContexts.set(request, context);
    }
    return this.allows(request.principal, { ...pair, bucket, key, versionId }, context);
  }

  /**
   * The error to answer for a handler's `err`: S3 reveals that a key is missing (NoSuchKey on
   * GetObject, HeadObject, GetObjectAttributes) only to a caller allowed s3:ListBucket on the
   * bucket and answers AccessDenied to anyone else, so keys cannot be probed. Any other error is
   * returned as it is. Only this error path costs the extra decision.
   * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
   */
  async concealMissingKey(err: unknown, request: AuthorizationRequest): Promise<unknown> {
    const { op } = request;
    const isMissingKey = err instanceof Error && 'code' in err && err.code === 'NoSuchKey';
    if (!isMissingKey || !CONCEALS_MISSING_KEY.has(op.name) || op.bucket === undefined) {
      return err;
    }
    const check = { action: 's3:ListBucket', resource: s3ResourceArn(op.bucket), bucket: op.bucket };
    return (await this.allows(request.principal, check, this.contextOf(request)))
      ? err
      : S3Errors.accessDenied();
  }

  private checksOf(request: AuthorizationRequest): Check[] {
    const { op, headers } = request;
    const versionId = op.query.get('versionId') ?? undefined;
    const target = { bucket: op.bucket, key: op.key, hasVersionId: versionId !== undefined };
    const checks: Check[] = requiredPermissions(op.name, target).map((p) => ({
      ...p,
      bucket: op.bucket,
      key: op.key,
      versionId,
    }));
    const entry = OPERATION_ACTIONS[op.name];
    const copySource = single(headers, 'x-amz-copy-source');
    if (entry?.sourceActions && copySource !== undefined) {
      const source = parseCopySource(copySource);
      const actions =
        source.versionId !== undefined && entry.sourceVersionActions
          ? entry.sourceVersionActions
          : entry.sourceActions;
      const resource = s3ResourceArn(source.bucket, source.key);
      checks.push(...actions.map((action) => ({ action, resource, ...source })));
    }
    const aclAction = ACL_ON_WRITE[op.name];
    if (aclAction !== undefined && headers !== undefined && hasAclHeaders(headers)) {
      checks.push({
        action: aclAction,
        resource: s3ResourceArn(op.bucket ?? '', op.key),
        bucket: op.bucket,
        key: op.key,
      });
    }
    // CreateBucket names a bucket that does not exist yet: only identity policies decide it.
    return op.name === 'CreateBucket' ? checks.map((c) => ({ ...c, bucket: undefined })) : checks;
  }

  private contextOf(request: AuthorizationRequest): Record<string, ContextValue> {
    return buildRequestContext({
      sourceIp: request.sourceIp,
      isSecureTransport: request.isSecureTransport,
      now: new Date(),
      query: request.op.query,
      headers: request.headers,
      versionId: request.op.query.get('versionId') ?? undefined,
      auth: authOf(request.authScheme),
    });
  }

  private async allows(
    principal: Principal,
    check: Check,
    context: Record<string, ContextValue>,
  ): Promise<boolean> {
    const bucket = check.bucket === undefined ? null : await this.findBucket(check.bucket);
    const input: DecisionInput =
      principal.kind === 'user'
        ? {
            identity: [...principal.identityPolicies],
            session: principal.sessionPolicy,
            isRoot: principal.isRoot,
            bucket: bucket ? await this.policies.policyOf(bucket) : undefined,
          }
        : { identity: [], isRoot: false, bucket: bucket ? await this.policies.policyOf(bucket) : undefined };
    const requester: RequestPrincipal =
      principal.kind === 'user'
        ? {
            type: 'user',
            arn: principal.arn,
            accessKeyId: principal.accessKeyId,
            userName: principal.userName,
            userId: principal.userId,
          }
        : { type: 'anonymous' };
    const facts = {
      action: check.action,
      resource: check.resource,
      principal: requester,
      context: await this.withObjectTags(input, check, bucket, context),
    };
    if (decide(input, facts).allowed) {
      return true;
    }
    // 2. Policies alone refused. An ACL can still allow, unless a Deny (or a session policy) would
    //    refuse even then: asking with a granting ACL first spares the object ACL lookup.
    if (bucket === null) {
      return false;
    }
    const grant = this.aclPermission(check);
    if (grant === null || !decide({ ...input, acl: 'Allow' }, facts).allowed) {
      return false;
    }
    const acl =
      grant.on === 'bucket'
        ? this.acls.bucketAcl(bucket)
        : await this.acls.objectAcl(bucket, check.key ?? '', check.versionId);
    const caller: AclCaller =
      principal.kind === 'user' ? { type: 'user', userId: principal.userId } : { type: 'anonymous' };
    return acl !== null && aclGrants(acl, caller, grant.permission);
  }

  /**
   * `context` plus s3:ExistingObjectTag/<key> for each tag of the object the check names, read
   * only when one of the policies in the decision has such a condition. A missing object (or a
   * delete marker) has no tags: conditions on them then do not hold, as in AWS.
   */
  private async withObjectTags(
    input: DecisionInput,
    check: Check,
    bucket: Bucket | null,
    context: Record<string, ContextValue>,
  ): Promise<Record<string, ContextValue>> {
    if (bucket === null || check.key === undefined) {
      return context;
    }
    const asks = (doc: PolicyDocument | undefined): boolean =>
      doc !== undefined && mentionsExistingObjectTag(doc);
    if (!asks(input.bucket) && !asks(input.session) && !input.identity.some(asks)) {
      return context;
    }
    const tags = await this.acls.objectTags(bucket, check.key, check.versionId);
    const withTags = { ...context };
    for (const [tag, value] of Object.entries(tags ?? {})) {
      withTags[`s3:ExistingObjectTag/${tag}`] = value;
    }
    return withTags;
  }

  /** Which ACL could grant the check: the object's for reads and ACP of an object, else the bucket's. */
  private aclPermission(check: Check): { on: 'bucket' | 'object'; permission: AclPermission } | null {
    if (check.key !== undefined) {
      const objectPermission = aclPermissionFor(check.action, 'object');
      if (objectPermission !== null) {
        return { on: 'object', permission: objectPermission };
      }
    }
    const bucketPermission = aclPermissionFor(check.action, 'bucket');
    return bucketPermission === null ? null : { on: 'bucket', permission: bucketPermission };
  }

  private async findBucket(name: string): Promise<Bucket | null> {
    try {
      return await this.buckets.require(name);
    } catch (err) {
      if (err instanceof Error && 'code' in err && err.code === 'NoSuchBucket') {
        return null;
      }
      throw err;
    }
  }
}
