import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { adminCall, type ApiResponse, type Creds } from './iam-api';
import type { RunningServer } from './server';

/** 'allow' for a 2xx answer, 'deny' for 403 AccessDenied (bodiless for HEAD); anything else verbatim. */
export type Outcome = string;

/** Runs one call and classifies its answer, so a table can compare every identity at once. */
export async function outcomeOf(call: () => Promise<unknown>): Promise<Outcome> {
  try {
    await call();
    return 'allow';
  } catch (e) {
    const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
    const status = err.$metadata?.httpStatusCode;
    // A refused HEAD has no body (as on S3), so the SDK can only name it 'Unknown'.
    if (status === 403 && (err.name === 'AccessDenied' || err.name === 'Unknown')) {
      return 'deny';
    }
    return `${err.name ?? 'Error'} ${status ?? ''}`.trim();
  }
}

/** Calls the admin API as root and fails loudly unless the answer is 2xx. */
export async function admin(
  server: RunningServer,
  method: string,
  path: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const res: ApiResponse<Record<string, unknown>> = await adminCall(server, method, path, undefined, body);
  if (res.status < 200 || res.status > 299) {
    throw new Error(`${method} ${path} failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.body;
}

/** Creates a service account of `parent` (narrowed by `policy`) through the admin API. */
export async function createServiceAccount(
  server: RunningServer,
  parent: string,
  name: string,
  policy: unknown,
): Promise<Creds> {
  const body = await admin(server, 'POST', `/admin/iam/users/${parent}/service-accounts`, { name, policy });
  return { accessKeyId: String(body.access_key), secretAccessKey: String(body.secret_key) };
}

/** Asserts that `key` is neither an object (root HeadObject) nor a file under STORAGE_ROOT. */
export async function expectNotStored(
  server: RunningServer,
  root: S3Client,
  bucket: string,
  key: string,
): Promise<void> {
  await expect(root.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).rejects.toMatchObject({
    $metadata: { httpStatusCode: 404 },
  });
  expect(existsSync(join(server.storageRoot, bucket, key))).toBe(false);
}

/** Asserts that `key` is still an object and still a file under STORAGE_ROOT. */
export async function expectStored(
  server: RunningServer,
  root: S3Client,
  bucket: string,
  key: string,
): Promise<void> {
  await expect(root.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).resolves.toBeDefined();
  expect(existsSync(join(server.storageRoot, bucket, key))).toBe(true);
}

/** A policy document from statements. */
export const policyJson = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
