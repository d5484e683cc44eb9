import { parsePolicy, type PolicyDocument } from '@myfsio/policy';
import type { BucketPolicyService } from './bucket-policy.service';
import { BucketPresetsService, publicPolicy } from './bucket-presets.service';

const BUCKET = 'photos';

/** A policy store in memory that validates and normalizes as BucketPolicyService does. */
function presetsOver(initial?: object) {
  let stored: PolicyDocument | undefined = initial
    ? parsePolicy(JSON.stringify(initial), 'bucket', { bucket: BUCKET })
    : undefined;
  const put = (json: string) => {
    stored = parsePolicy(json, 'bucket', { bucket: BUCKET });
    return Promise.resolve();
  };
  const store = {
    getDocument: () => Promise.resolve(stored),
    putPolicy: (_name: string, json: string) => put(json),
    setDocument: (_name: string, doc: PolicyDocument | null) => {
      if (doc === null || doc.Statement.length === 0) {
        stored = undefined;
        return Promise.resolve();
      }
      return put(JSON.stringify(doc));
    },
    deletePolicy: () => {
      stored = undefined;
      return Promise.resolve();
    },
  } as unknown as BucketPolicyService;
  return { presets: new BucketPresetsService(store), stored: () => stored };
}

const OWN_STATEMENT = {
  Sid: 'Mine',
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:DeleteObject',
  Resource: `arn:aws:s3:::${BUCKET}/keep/*`,
};

describe('BucketPresetsService', () => {
  it('sets, reads back and replaces the anonymous level of a prefix, keeping other statements', async () => {
    const { presets, stored } = presetsOver({ Version: '2012-10-17', Statement: [OWN_STATEMENT] });
    expect(await presets.getAnonymousAccess(BUCKET, 'img/')).toBe('none');
    expect(await presets.setAnonymousAccess(BUCKET, 'img/', 'download')).toBe('download');
    expect(await presets.setAnonymousAccess(BUCKET, 'img/', 'upload')).toBe('upload');
    expect(await presets.getAnonymousAccess(BUCKET, '')).toBe('none');
    const sids = stored()?.Statement.map((s) => s.Sid ?? s.Action?.join(','));
    // The download statements are gone; the caller's own statement stayed first.
    expect(sids?.[0]).toBe('Mine');
    expect(stored()?.Statement.some((s) => s.Action?.includes('s3:GetObject'))).toBe(false);
  });

  it('keeps levels of different prefixes apart and deletes the policy when the last one is none', async () => {
    const { presets, stored } = presetsOver();
    await presets.setAnonymousAccess(BUCKET, 'a/', 'public');
    await presets.setAnonymousAccess(BUCKET, 'b/', 'download');
    expect(await presets.getAnonymousAccess(BUCKET, 'a/')).toBe('public');
    expect(await presets.getAnonymousAccess(BUCKET, 'b/')).toBe('download');
    await presets.setAnonymousAccess(BUCKET, 'a/', 'none');
    await presets.setAnonymousAccess(BUCKET, 'b/', 'none');
    expect(stored()).toBeUndefined();
  });

  it('recognizes the public preset and anything else as custom', async () => {
    const { presets } = presetsOver();
    expect(await presets.getPolicyPreset(BUCKET)).toEqual({ preset: 'private', policy: null });
    expect((await presets.setPolicyPreset(BUCKET, 'public')).preset).toBe('public');
    expect((await presets.setPolicyPreset(BUCKET, 'custom', publicPolicy('photos'))).preset).toBe('public');
    const custom = { Version: '2012-10-17', Statement: [OWN_STATEMENT] };
    expect((await presets.setPolicyPreset(BUCKET, 'custom', custom)).preset).toBe('custom');
    expect((await presets.setPolicyPreset(BUCKET, 'private')).policy).toBeNull();
  });

  it('refuses custom without a policy', async () => {
    const { presets } = presetsOver();
    await expect(presets.setPolicyPreset(BUCKET, 'custom')).rejects.toMatchObject({
      code: 'InvalidArgument',
    });
  });
});
