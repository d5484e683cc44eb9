import {
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { awsCli, parseJson, s3apiArgs, type AwsCli } from '../../support/clients/aws-cli';
import { boto3, boto3Json, type Boto3 } from '../../support/clients/boto3';
import { expectOk } from '../../support/clients/run-client';
import { bucketName, s3Client } from '../../support/s3-client';
import { eventually } from '../../support/eventually';
import { cleanup, startServer, type RunningServer } from '../../support/server';

/** Lifecycle configurations written by the AWS CLI and boto3, enforced with one-second days. */
describe('lifecycle with real clients', () => {
  let server: RunningServer;
  let aws: AwsCli;
  let py: Boto3;
  let sdk: S3Client;
  beforeAll(async () => {
    server = await startServer({
      env: { LIFECYCLE_ENABLED: 'true', LIFECYCLE_INTERVAL_SECONDS: '1', LIFECYCLE_DAY_SECONDS: '1' },
    });
    aws = awsCli(server);
    py = boto3(server);
    sdk = s3Client(server);
  });
  afterAll(async () => {
    sdk?.destroy();
    await server?.stop();
    cleanup(server);
  });

  const newBucket = async (prefix: string, keys: string[]) => {
    const Bucket = bucketName(prefix);
    await sdk.send(new CreateBucketCommand({ Bucket }));
    for (const Key of keys) {
      await sdk.send(new PutObjectCommand({ Bucket, Key, Body: Key }));
    }
    return Bucket;
  };
  const keys = async (Bucket: string) =>
    ((await sdk.send(new ListObjectsV2Command({ Bucket }))).Contents ?? []).map((c) => c.Key);

  it('AWS CLI: put-bucket-lifecycle-configuration and get-bucket-lifecycle-configuration; objects expire', async () => {
    const bucket = await newBucket('lc-cli', ['cache/1', 'cache/2', 'data/1']);
    const upload = await sdk.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'cache/partial' }));
    const config = {
      Rules: [
        {
          ID: 'cache',
          Status: 'Enabled',
          Filter: { Prefix: 'cache/' },
          Expiration: { Days: 1 },
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
        },
      ],
    };
    expectOk(
      await aws(
        s3apiArgs('put-bucket-lifecycle-configuration', {
          bucket,
          lifecycleConfiguration: JSON.stringify(config),
        }),
      ),
    );
    const got = parseJson<typeof config>(
      expectOk(await aws(s3apiArgs('get-bucket-lifecycle-configuration', { bucket }))),
    );
    expect(got.Rules).toEqual(config.Rules);
    const partsDir = join(server.storageRoot, '.myfsio.sys', 'multipart', upload.UploadId ?? '');
    // One lifecycle pass expires the objects (row, then file) and then aborts the upload (row,
    // then part files): wait until all of it has happened before asserting each piece.
    await eventually(
      async () =>
        (await keys(bucket)).length === 1 &&
        !existsSync(join(server.storageRoot, bucket, 'cache/1')) &&
        !existsSync(partsDir),
    );
    expect(await keys(bucket)).toEqual(['data/1']);
    expect(existsSync(join(server.storageRoot, bucket, 'cache/1'))).toBe(false);
    const uploads = parseJson<{ Uploads?: unknown[] }>(
      expectOk(await aws(s3apiArgs('list-multipart-uploads', { bucket }))),
    );
    expect(uploads.Uploads ?? []).toEqual([]);
    expect(existsSync(partsDir)).toBe(false);

    const bad = await aws(
      s3apiArgs('put-bucket-lifecycle-configuration', {
        bucket,
        lifecycleConfiguration: JSON.stringify({
          Rules: [{ ID: 'zero', Status: 'Enabled', Filter: {}, Expiration: { Days: 0 } }],
        }),
      }),
    );
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('InvalidArgument');
    expectOk(await aws(s3apiArgs('delete-bucket-lifecycle', { bucket })));
    const none = await aws(s3apiArgs('get-bucket-lifecycle-configuration', { bucket }));
    expect(none.stderr).toContain('NoSuchLifecycleConfiguration');
  });

  it('boto3: put_bucket_lifecycle_configuration with a tag filter, errors as ClientError; objects expire', async () => {
    const bucket = await newBucket('lc-boto', []);
    const result = await boto3Json<{ rules: unknown[]; error: string; head: string | null; left: string[] }>(
      py,
      `
b = args["bucket"]
s3.put_object(Bucket=b, Key="t/old", Body=b"x", Tagging="expire=yes")
s3.put_object(Bucket=b, Key="t/keep", Body=b"x")
rules = [{"ID": "tagged", "Status": "Enabled",
          "Filter": {"And": {"Prefix": "t/", "Tags": [{"Key": "expire", "Value": "yes"}]}},
          "Expiration": {"Days": 1}}]
s3.put_bucket_lifecycle_configuration(Bucket=b, LifecycleConfiguration={"Rules": rules})
got = s3.get_bucket_lifecycle_configuration(Bucket=b)["Rules"]
head = s3.head_object(Bucket=b, Key="t/old").get("Expiration")
try:
    s3.put_bucket_lifecycle_configuration(Bucket=b, LifecycleConfiguration={"Rules": [
        {"ID": "a", "Status": "Enabled", "Filter": {}, "Expiration": {"Days": 1}},
        {"ID": "a", "Status": "Enabled", "Filter": {}, "Expiration": {"Days": 2}}]})
    error = "none"
except ClientError as e:
    error = e.response["Error"]["Code"] + ": " + e.response["Error"]["Message"]
import time
left = None
for _ in range(80):
    left = [o["Key"] for o in s3.list_objects_v2(Bucket=b).get("Contents", [])]
    if left == ["t/keep"]:
        break
    time.sleep(0.25)
out({"rules": got, "error": error, "head": head, "left": left})
`,
      { bucket },
    );
    expect(result.rules).toEqual([
      {
        ID: 'tagged',
        Status: 'Enabled',
        Filter: { And: { Prefix: 't/', Tags: [{ Key: 'expire', Value: 'yes' }] } },
        Expiration: { Days: 1 },
      },
    ]);
    expect(result.head).toMatch(
      /^expiry-date="[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT", rule-id="tagged"$/,
    );
    expect(result.error).toBe(
      'InvalidArgument: Rule ID must be unique. Found same ID for more than one rule',
    );
    expect(result.left).toEqual(['t/keep']);
  });
});
