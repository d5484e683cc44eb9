import type { RunningServer } from './server';

/** A JSON response of the admin API. */
export interface AdminResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
}

/**
 * Calls the admin API with the root's X-Access-Key/X-Secret-Key headers (or `auth: null` for no
 * credentials, or other keys) and parses the JSON answer.
 */
export async function adminRequest<T = Record<string, unknown>>(
  server: RunningServer,
  method: 'GET' | 'POST',
  path: string,
  options: { body?: unknown; auth?: { accessKey: string; secretKey: string } | null } = {},
): Promise<AdminResponse<T>> {
  const auth =
    options.auth === undefined
      ? { accessKey: server.accessKeyId, secretKey: server.secretAccessKey }
      : options.auth;
  const headers: Record<string, string> = {};
  if (auth !== null) {
    headers['x-access-key'] = auth.accessKey;
    headers['x-secret-key'] = auth.secretKey;
  }
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(`${server.adminUrl}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  return { status: res.status, body: (await res.json()) as T };
}
