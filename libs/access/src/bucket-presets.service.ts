import { S3Error } from '@myfsio/common';
import {
  ANONYMOUS_PRESETS,
  anonymousAccessOf,
  parsePolicy,
  type AnonymousAccess,
  type PolicyDocument,
  type PolicyStatement,
} from '@myfsio/policy';
import { Injectable } from '@nestjs/common';
import { BucketPolicyService } from './bucket-policy.service';

/** The bucket policy presets of the console: none, anonymous read + list, or a document of one's own. */
export type PolicyPreset = 'private' | 'public' | 'custom';

/** A bucket's policy as the presets see it. */
export interface PolicyPresetView {
  preset: PolicyPreset;
  /** The stored policy, or null when there is none (private). */
  policy: PolicyDocument | null;
}

/** The Public preset: anyone may list the bucket and read its objects (s3:ListBucket + s3:GetObject). */
export function publicPolicy(bucket: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'PublicList',
        Effect: 'Allow',
        Principal: { AWS: ['*'] },
        Action: ['s3:ListBucket'],
        Resource: [`arn:aws:s3:::${bucket}`],
      },
      {
        Sid: 'PublicRead',
        Effect: 'Allow',
        Principal: { AWS: ['*'] },
        Action: ['s3:GetObject'],
        Resource: [`arn:aws:s3:::${bucket}/*`],
      },
    ],
  };
}

const same = (a: PolicyStatement, b: PolicyStatement): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Statements in the form a stored (parsed) policy has them, so they compare equal. */
function normalized(bucket: string, statements: PolicyStatement[]): PolicyStatement[] {
  if (statements.length === 0) {
    return [];
  }
  return parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: statements }), 'bucket', { bucket })
    .Statement;
}

/** Prefixes that anonymous object statements of the presets' shape name (`arn:aws:s3:::bucket/<prefix>*`). */
function presetPrefixes(statements: PolicyStatement[], bucket: string): string[] {
  const head = `arn:aws:s3:::${bucket}/`;
  const prefixes = new Set<string>();
  for (const s of statements) {
    const resource = s.Resource?.length === 1 ? s.Resource[0] : undefined;
    const isAnonymous = s.Principal === '*' || (s.Principal?.AWS?.includes('*') ?? false);
    if (
      s.Effect === 'Allow' &&
      isAnonymous &&
      s.Condition === undefined &&
      resource?.startsWith(head) &&
      resource.endsWith('*')
    ) {
      prefixes.add(resource.slice(head.length, -1));
    }
  }
  return [...prefixes];
}

/**
 * The admin API's presets over the one stored bucket policy (what GetBucketPolicy returns):
 * anonymous access levels for a bucket or a prefix (`mc policy set none|download|upload|public`)
 * and the console's Private / Public / Custom policy selector.
 */
@Injectable()
export class BucketPresetsService {
  constructor(private readonly policies: BucketPolicyService) {}

  /** The anonymous access level the bucket policy grants on `prefix` ('' = the whole bucket). Throws NoSuchBucket. */
  async getAnonymousAccess(bucket: string, prefix: string): Promise<AnonymousAccess> {
    return anonymousAccessOf(await this.policies.getDocument(bucket), bucket, prefix);
  }

  /**
   * Sets the anonymous access level of `prefix`. The preset statements of every prefix that has
   * a level are rebuilt (levels share bucket-level statements, so one prefix's cannot be removed
   * alone), every other statement is kept, and a policy left empty is deleted. Throws NoSuchBucket.
   */
  async setAnonymousAccess(
    bucket: string,
    prefix: string,
    access: AnonymousAccess,
  ): Promise<AnonymousAccess> {
    const current = await this.policies.getDocument(bucket);
    const statements = current?.Statement ?? [];
    // 1. The level of every prefix that has one now, with the new level of `prefix`.
    const levels = new Map<string, AnonymousAccess>();
    for (const p of presetPrefixes(statements, bucket)) {
      // A statement that only looks like a preset (its prefix has no full level) is the caller's own.
      const level = anonymousAccessOf(current, bucket, p);
      if (level !== 'none') {
        levels.set(p, level);
      }
    }
    levels.set(prefix, access);
    // 2. Drop every preset statement of those prefixes; keep the rest as it was.
    const presetOf = (p: string) =>
      normalized(
        bucket,
        (['download', 'upload', 'public'] as const).flatMap((l) => ANONYMOUS_PRESETS[l](bucket, p)),
      );
    const dropped = [...levels.keys()].flatMap(presetOf);
    const kept = statements.filter((s) => !dropped.some((d) => same(s, d)));
    // 3. Add each level's statements back, once each.
    const added: PolicyStatement[] = [];
    for (const [p, level] of levels) {
      for (const statement of ANONYMOUS_PRESETS[level](bucket, p)) {
        if (!added.some((a) => same(a, statement))) {
          added.push(statement);
        }
      }
    }
    await this.policies.setDocument(bucket, {
      Version: '2012-10-17',
      ...current,
      Statement: [...kept, ...added],
    });
    return anonymousAccessOf(await this.policies.getDocument(bucket), bucket, prefix);
  }

  /** Which preset the stored policy is. Throws NoSuchBucket. */
  async getPolicyPreset(bucket: string): Promise<PolicyPresetView> {
    const policy = await this.policies.getDocument(bucket);
    if (policy === undefined) {
      return { preset: 'private', policy: null };
    }
    // Compared in parsed form, as the stored policy is: parsing normalizes elements.
    const preset = parsePolicy(JSON.stringify(publicPolicy(bucket)), 'bucket', { bucket });
    const isPublic = JSON.stringify(policy.Statement) === JSON.stringify(preset.Statement);
    return { preset: isPublic ? 'public' : 'custom', policy };
  }

  /**
   * Applies a preset: private deletes the policy, public stores {@link publicPolicy}, custom
   * stores `policy` (validated as PutBucketPolicy does). Throws NoSuchBucket, MalformedPolicy,
   * and InvalidArgument for custom without a policy.
   */
  async setPolicyPreset(bucket: string, preset: PolicyPreset, policy?: object): Promise<PolicyPresetView> {
    switch (preset) {
      case 'private':
        await this.policies.deletePolicy(bucket);
        break;
      case 'public':
        await this.policies.setDocument(bucket, publicPolicy(bucket));
        break;
      case 'custom':
        if (policy === undefined) {
          throw new S3Error('InvalidArgument', { message: 'The custom preset needs a policy document.' });
        }
        await this.policies.putPolicy(bucket, JSON.stringify(policy));
        break;
    }
    return this.getPolicyPreset(bucket);
  }
}
