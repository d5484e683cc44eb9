import { SignatureV4 } from '@smithy/signature-v4';
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import type { RunningServer } from './server';

/** Access key and secret of an IAM identity. */
export interface Creds {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** An admin API response: status and parsed JSON body (null when empty). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test assertions read arbitrary JSON
export interface ApiResponse<T = any> {
  status: number;
  body: T;
}

/** node:crypto as the Checksum constructor @smithy/signature-v4 expects. */
class NodeSha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
  reset(): void {}
}

function toBytes(data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
  if (typeof data === 'string') {
    return data;
  }
  return ArrayBuffer.isView(data)
    ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    : new Uint8Array(data);
}

async function parse(res: Response): Promise<ApiResponse> {
  const text = await res.text();
  return { status: res.status, body: text === '' ? null : JSON.parse(text) };
}

/** Calls the admin API with the X-Access-Key / X-Secret-Key headers. */
export async function adminCall(
  server: RunningServer,
  method: string,
  path: string,
  creds: Creds = { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
  body?: unknown,
  contentType = 'application/json',
): Promise<ApiResponse> {
  const headers: Record<string, string> = {
    'x-access-key': creds.accessKeyId,
    'x-secret-key': creds.secretAccessKey,
  };
  let payload: string | undefined;
  if (body !== undefined) {
    headers['content-type'] = contentType;
    payload = typeof body === 'string' ? body : JSON.stringify(body);
  }
  return parse(await fetch(`${server.adminUrl}${path}`, { method, headers, body: payload }));
}

/** Calls the admin API signed with SigV4 (UNSIGNED-PAYLOAD, as the guard documents). */
export async function adminCallSigV4(
  server: RunningServer,
  method: string,
  path: string,
  creds: Creds,
  body?: unknown,
): Promise<ApiResponse> {
  const url = new URL(`${server.adminUrl}${path}`);
  const signer = new SignatureV4({
    service: 's3',
    region: 'us-east-1',
    credentials: creds,
    sha256: NodeSha256,
  });
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string> = { host: url.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' };
  if (payload !== undefined) {
    headers['content-type'] = 'application/json';
  }
  const signed = await signer.sign({
    method,
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers,
    body: payload,
  });
  const sent = { ...signed.headers };
  delete sent.host;
  return parse(await fetch(url, { method, headers: sent, body: payload }));
}

/** Creates a user through the API (as the admin) and returns its credentials and id. */
export async function createUser(
  server: RunningServer,
  body: Record<string, unknown> = {},
): Promise<Creds & { userId: string; name: string }> {
  const res = await adminCall(server, 'POST', '/iam/users', undefined, body);
  if (res.status !== 201) {
    throw new Error(`create user failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return {
    accessKeyId: res.body.access_key,
    secretAccessKey: res.body.secret_key,
    userId: res.body.user_id,
    name: res.body.name,
  };
}
