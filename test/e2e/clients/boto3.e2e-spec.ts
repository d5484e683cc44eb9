import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { boto3, boto3Json, type Boto3 } from '../../support/clients/boto3';
import { expectOk, patternBytes, sha256, tempDir } from '../../support/clients/run-client';
import { bucketName } from '../../support/s3-client';
import { cleanup, startServer, type RunningServer } from '../../support/server';

interface Page {
  keys: string[];
  prefixes: string[];
  keyCount: number;
  isTruncated: boolean;
  hasToken: boolean;
}

/** A listing walked page by page with an explicit ContinuationToken, as an application would. */
const LIST_PAGES = `
pages, token = [], None
while True:
    kw = {"Bucket": args["bucket"], "MaxKeys": 2}
    if args.get("prefix"): kw["Prefix"] = args["prefix"]
    if args.get("delimiter"): kw["Delimiter"] = args["delimiter"]
    if token: kw["ContinuationToken"] = token
    r = s3.list_objects_v2(**kw)
    pages.append({
        "keys": [c["Key"] for c in r.get("Contents", [])],
        "prefixes": [p["Prefix"] for p in r.get("CommonPrefixes", [])],
        "keyCount": r["KeyCount"],
        "isTruncated": r["IsTruncated"],
        "hasToken": "NextContinuationToken" in r,
    })
    if not r["IsTruncated"] or len(pages) > 20:
        break
    token = r["NextContinuationToken"]
out(pages)
`;

/** boto3 (botocore, SigV4, path style) against a live gateway. */
describe('boto3', () => {
  let server: RunningServer;
  let py: Boto3;
  let local: string;
  let bucket: string;
  const plain = (key: string) => join(server.storageRoot, bucket, key);
  beforeAll(async () => {
    server = await startServer();
    py = boto3(server);
    local = tempDir('boto3');
    bucket = bucketName('boto3');
  });
  afterAll(async () => {
    await server?.stop();
    cleanup(server);
    rmSync(local, { recursive: true, force: true });
  });

  it('create_bucket makes a directory under STORAGE_ROOT, and head_bucket answers 200', async () => {
    const res = await boto3Json<{ location: string; head: number }>(
      py,
      `r = s3.create_bucket(Bucket=args["b"])
out({"location": r.get("Location"), "head": s3.head_bucket(Bucket=args["b"])["ResponseMetadata"]["HTTPStatusCode"]})`,
      { b: bucket },
    );
    expect(res.head).toBe(200);
    expect(res.location).toBe(`/${bucket}`);
    expect(existsSync(join(server.storageRoot, bucket))).toBe(true);
  });

  it('put_object with Metadata, then get_object returns the same bytes, metadata and ETag', async () => {
    const body = patternBytes(2048, 21);
    const res = await boto3Json<{
      etag: string;
      got: string;
      meta: Record<string, string>;
      type: string;
      len: number;
    }>(
      py,
      `body = base64.b64decode(args["body"])
p = s3.put_object(Bucket=args["b"], Key=args["k"], Body=body, ContentType="application/x-test",
                  Metadata={"color": "blue", "owner-name": "ana"})
g = s3.get_object(Bucket=args["b"], Key=args["k"])
data = g["Body"].read()
assert g["ETag"] == p["ETag"], (g["ETag"], p["ETag"])
out({"etag": p["ETag"], "got": base64.b64encode(data).decode(), "meta": g["Metadata"],
     "type": g["ContentType"], "len": g["ContentLength"]})`,
      { b: bucket, k: 'meta/ü object.bin', body: body.toString('base64') },
    );
    expect(Buffer.from(res.got, 'base64')).toEqual(body);
    expect(res.meta).toEqual({ color: 'blue', 'owner-name': 'ana' });
    expect(res.type).toBe('application/x-test');
    expect(res.len).toBe(body.length);
    expect(res.etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(readFileSync(plain('meta/ü object.bin'))).toEqual(body);
  });

  describe('list_objects_v2 paging with MaxKeys=2', () => {
    let listBucket: string;
    beforeAll(async () => {
      listBucket = bucketName('boto3list');
      expectOk(
        await py(
          `s3.create_bucket(Bucket=args["b"])
for k in args["keys"]:
    s3.put_object(Bucket=args["b"], Key=k, Body=k.encode())`,
          { b: listBucket, keys: ['a/1', 'a/2', 'b', 'c', 'd/x', 'd/y', 'd/z/deep', 'e', 'f'] },
        ),
      );
    });

    it('pages through objects and common prefixes with Delimiter', async () => {
      const pages = await boto3Json<Page[]>(py, LIST_PAGES, { bucket: listBucket, delimiter: '/' });
      expect(pages.map((p) => [...p.prefixes, ...p.keys].sort())).toEqual([
        ['a/', 'b'],
        ['c', 'd/'],
        ['e', 'f'],
      ]);
      expect(pages.map((p) => p.keyCount)).toEqual([2, 2, 2]);
      expect(pages.map((p) => p.isTruncated)).toEqual([true, true, false]);
      expect(pages.map((p) => p.hasToken)).toEqual([true, true, false]);
    });

    it('pages within a Prefix with Delimiter', async () => {
      const pages = await boto3Json<Page[]>(py, LIST_PAGES, {
        bucket: listBucket,
        prefix: 'd/',
        delimiter: '/',
      });
      expect(pages.flatMap((p) => [...p.keys, ...p.prefixes].sort())).toEqual(['d/x', 'd/y', 'd/z/']);
      expect(pages).toHaveLength(2);
      expect(pages[0]!.keyCount).toBe(2);
    });

    it('pages through every key without a Delimiter', async () => {
      const pages = await boto3Json<Page[]>(py, LIST_PAGES, { bucket: listBucket });
      expect(pages.flatMap((p) => p.keys)).toEqual([
        'a/1',
        'a/2',
        'b',
        'c',
        'd/x',
        'd/y',
        'd/z/deep',
        'e',
        'f',
      ]);
      expect(pages).toHaveLength(5);
      expect(pages.every((p) => p.keys.length <= 2)).toBe(true);
    });

    it("boto3's own paginator agrees", async () => {
      const keys = await boto3Json<string[]>(
        py,
        `keys = []
for page in s3.get_paginator("list_objects_v2").paginate(Bucket=args["b"], Prefix="a/", PaginationConfig={"PageSize": 1}):
    keys += [c["Key"] for c in page.get("Contents", [])]
out(keys)`,
        { b: listBucket },
      );
      expect(keys).toEqual(['a/1', 'a/2']);
    });
  });

  it('copy_object copies the bytes and the metadata', async () => {
    const res = await boto3Json<{ body: string; meta: Record<string, string> }>(
      py,
      `s3.put_object(Bucket=args["b"], Key="copy/src", Body=b"copy body", Metadata={"k": "v"})
s3.copy_object(Bucket=args["b"], Key="copy/dst", CopySource={"Bucket": args["b"], "Key": "copy/src"})
g = s3.get_object(Bucket=args["b"], Key="copy/dst")
out({"body": g["Body"].read().decode(), "meta": g["Metadata"]})`,
      { b: bucket },
    );
    expect(res).toEqual({ body: 'copy body', meta: { k: 'v' } });
    expect(readFileSync(plain('copy/dst'), 'utf8')).toBe('copy body');
  });

  it('delete_objects removes several keys and their plain files', async () => {
    const keys = ['del/1', 'del/2 two', 'del/ü'];
    const res = await boto3Json<{ deleted: string[]; errors: unknown[]; left: number }>(
      py,
      `for k in args["keys"]:
    s3.put_object(Bucket=args["b"], Key=k, Body=k.encode())
before = s3.list_objects_v2(Bucket=args["b"], Prefix="del/")["KeyCount"]
assert before == len(args["keys"]), before
r = s3.delete_objects(Bucket=args["b"], Delete={"Objects": [{"Key": k} for k in args["keys"]]})
left = s3.list_objects_v2(Bucket=args["b"], Prefix="del/")["KeyCount"]
out({"deleted": sorted(d["Key"] for d in r.get("Deleted", [])), "errors": r.get("Errors", []), "left": left})`,
      { b: bucket, keys },
    );
    expect(res).toEqual({ deleted: [...keys].sort(), errors: [], left: 0 });
    for (const key of keys) {
      expect(existsSync(plain(key))).toBe(false);
    }
  });

  it('generate_presigned_url: a PUT URL uploads and a GET URL downloads, with plain urllib', async () => {
    const body = patternBytes(1500, 33);
    const res = await boto3Json<{ putStatus: number; getStatus: number; got: string }>(
      py,
      `import urllib.request
data = base64.b64decode(args["body"])
put_url = s3.generate_presigned_url("put_object", Params={"Bucket": args["b"], "Key": args["k"]}, ExpiresIn=300)
req = urllib.request.Request(put_url, data=data, method="PUT")
with urllib.request.urlopen(req) as r:
    put_status = r.status
get_url = s3.generate_presigned_url("get_object", Params={"Bucket": args["b"], "Key": args["k"]}, ExpiresIn=300)
with urllib.request.urlopen(get_url) as r:
    out({"putStatus": put_status, "getStatus": r.status, "got": base64.b64encode(r.read()).decode()})`,
      { b: bucket, k: 'presigned/ü x.bin', body: body.toString('base64') },
    );
    expect(res.putStatus).toBe(200);
    expect(res.getStatus).toBe(200);
    expect(Buffer.from(res.got, 'base64')).toEqual(body);
    expect(readFileSync(plain('presigned/ü x.bin'))).toEqual(body);
  });

  it('head_object on a missing key raises a ClientError with a 404', async () => {
    const res = await boto3Json<{ code: string; status: number }>(
      py,
      `try:
    s3.head_object(Bucket=args["b"], Key="missing/key")
    out({"code": "none", "status": 200})
except ClientError as e:
    out({"code": e.response["Error"]["Code"], "status": e.response["ResponseMetadata"]["HTTPStatusCode"]})`,
      { b: bucket },
    );
    expect(res).toEqual({ code: '404', status: 404 });
  });

  it('get_object on a missing key raises NoSuchKey', async () => {
    const res = await boto3Json<{ code: string; status: number }>(
      py,
      `try:
    s3.get_object(Bucket=args["b"], Key="missing/key")
    out({"code": "none", "status": 200})
except s3.exceptions.NoSuchKey as e:
    out({"code": e.response["Error"]["Code"], "status": e.response["ResponseMetadata"]["HTTPStatusCode"]})`,
      { b: bucket },
    );
    expect(res).toEqual({ code: 'NoSuchKey', status: 404 });
  });

  it('upload_file and download_file round-trip a small file', async () => {
    const body = patternBytes(70_000, 44);
    const src = join(local, 'upload.bin');
    const dst = join(local, 'download.bin');
    writeFileSync(src, body);
    expectOk(
      await py(
        `s3.upload_file(args["src"], args["b"], args["k"])
s3.download_file(args["b"], args["k"], args["dst"])`,
        { b: bucket, k: 'transfer/file.bin', src, dst },
      ),
    );
    expect(sha256(readFileSync(dst))).toBe(sha256(body));
    expect(readFileSync(plain('transfer/file.bin'))).toEqual(body);
  });
});
