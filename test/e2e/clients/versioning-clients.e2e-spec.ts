import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { awsCli, parseJson, s3apiArgs, type AwsCli } from '../../support/clients/aws-cli';
import { boto3, boto3Json, type Boto3 } from '../../support/clients/boto3';
import { expectOk, tempDir } from '../../support/clients/run-client';
import { bucketName } from '../../support/s3-client';
import { cleanup, startServer, type RunningServer } from '../../support/server';

interface VersionEntry {
  Key: string;
  VersionId: string;
  IsLatest: boolean;
}

/** Versioning and object lock through the AWS CLI (`aws s3api`) and boto3. */
describe('versioning and object lock with the AWS CLI and boto3', () => {
  let server: RunningServer;
  let aws: AwsCli;
  let py: Boto3;
  let local: string;
  const api = (operation: string, options: Record<string, string | true>, ...positional: string[]) =>
    aws(s3apiArgs(operation, options, ...positional));
  const plain = (bucket: string, key: string) => join(server.storageRoot, bucket, key);

  beforeAll(async () => {
    server = await startServer();
    aws = awsCli(server);
    py = boto3(server);
    local = tempDir('versioning-clients');
  });
  afterAll(async () => {
    await server?.stop();
    cleanup(server);
    rmSync(local, { recursive: true, force: true });
  });

  it('aws s3api: versioned overwrite, delete marker, restore by copying an old version back', async () => {
    const bucket = bucketName('cliver');
    expectOk(await api('create-bucket', { bucket }));
    expectOk(await api('put-bucket-versioning', { bucket, versioningConfiguration: 'Status=Enabled' }));
    expect(parseJson(expectOk(await api('get-bucket-versioning', { bucket })))).toEqual({
      Status: 'Enabled',
    });
    const put = async (body: string) => {
      const file = join(local, `body-${Math.random().toString(36).slice(2)}`);
      writeFileSync(file, body);
      return parseJson<{ VersionId: string }>(
        expectOk(await api('put-object', { bucket, key: 'doc', body: file })),
      );
    };
    const v1 = await put('first');
    await put('second');
    const marker = parseJson<{ DeleteMarker: boolean; VersionId: string }>(
      expectOk(await api('delete-object', { bucket, key: 'doc' })),
    );
    expect(marker.DeleteMarker).toBe(true);
    expect(existsSync(plain(bucket, 'doc'))).toBe(false);

    const listed = parseJson<{ Versions: VersionEntry[]; DeleteMarkers: VersionEntry[] }>(
      expectOk(await api('list-object-versions', { bucket })),
    );
    expect(listed.Versions.map((v) => v.IsLatest)).toEqual([false, false]);
    expect(listed.DeleteMarkers).toEqual([
      expect.objectContaining({ VersionId: marker.VersionId, IsLatest: true }),
    ]);

    expectOk(
      await api('copy-object', { bucket, key: 'doc', copySource: `${bucket}/doc?versionId=${v1.VersionId}` }),
    );
    expect(readFileSync(plain(bucket, 'doc'), 'utf8')).toBe('first');
    const out = join(local, 'old');
    expectOk(await api('get-object', { bucket, key: 'doc', versionId: v1.VersionId }, out));
    expect(readFileSync(out, 'utf8')).toBe('first');
  }, 60_000);

  it('boto3: pages list_object_versions through many versions with the paginator', async () => {
    const bucket = bucketName('pyver');
    const res = await boto3Json<{ pages: number; entries: [string, string, boolean][]; written: string[] }>(
      py,
      `
s3.create_bucket(Bucket=args["b"])
s3.put_bucket_versioning(Bucket=args["b"], VersioningConfiguration={"Status": "Enabled"})
written = []
for key in ["k1", "k2"]:
    for i in range(9):
        written.append(key + "@" + s3.put_object(Bucket=args["b"], Key=key, Body=f"{key}-{i}".encode())["VersionId"])
pages, entries = 0, []
for page in s3.get_paginator("list_object_versions").paginate(Bucket=args["b"], PaginationConfig={"PageSize": 4}):
    pages += 1
    entries += [[v["Key"], v["VersionId"], v["IsLatest"]] for v in page.get("Versions", [])]
out({"pages": pages, "entries": entries, "written": written})
`,
      { b: bucket },
    );
    expect(res.pages).toBe(5);
    const expected = ['k1', 'k2'].flatMap((k) => res.written.filter((w) => w.startsWith(`${k}@`)).reverse());
    expect(res.entries.map(([k, v]) => `${k}@${v}`)).toEqual(expected);
    expect(res.entries.filter(([, , latest]) => latest).map(([k]) => k)).toEqual(['k1', 'k2']);
    expect(readFileSync(plain(bucket, 'k1'), 'utf8')).toBe('k1-8');
  }, 60_000);

  it('boto3: object lock and legal hold refuse deletes of a version', async () => {
    const bucket = bucketName('pylock');
    const res = await boto3Json<Record<string, string>>(
      py,
      `
import datetime
s3.create_bucket(Bucket=args["b"], ObjectLockEnabledForBucket=True)
until = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=1)
v = s3.put_object(Bucket=args["b"], Key="locked", Body=b"x", ObjectLockMode="GOVERNANCE", ObjectLockRetainUntilDate=until)["VersionId"]
h = s3.put_object(Bucket=args["b"], Key="held", Body=b"y", ObjectLockLegalHoldStatus="ON")["VersionId"]
result = {}
def code(fn):
    try:
        fn()
        return "ok"
    except ClientError as e:
        return e.response["Error"]["Code"]
result["locked"] = code(lambda: s3.delete_object(Bucket=args["b"], Key="locked", VersionId=v))
result["held"] = code(lambda: s3.delete_object(Bucket=args["b"], Key="held", VersionId=h, BypassGovernanceRetention=True))
result["retention"] = s3.get_object_retention(Bucket=args["b"], Key="locked")["Retention"]["Mode"]
result["hold"] = s3.get_object_legal_hold(Bucket=args["b"], Key="held")["LegalHold"]["Status"]
result["bypass"] = code(lambda: s3.delete_object(Bucket=args["b"], Key="locked", VersionId=v, BypassGovernanceRetention=True))
out(result)
`,
      { b: bucket },
    );
    expect(res).toEqual({
      locked: 'AccessDenied',
      held: 'AccessDenied',
      retention: 'GOVERNANCE',
      hold: 'ON',
      bypass: 'ok',
    });
    expect(existsSync(plain(bucket, 'locked'))).toBe(false);
    expect(readFileSync(plain(bucket, 'held'), 'utf8')).toBe('y');
  }, 60_000);
});
