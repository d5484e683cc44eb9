import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { eventually } from '../../support/eventually';
import { cleanup, startServer, type RunningServer } from '../../support/server';

const readdirSafe = (dir: string): string[] => {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
};

const version = (
  JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as { version: string }
).version;

describe('health endpoints', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.stop();
    cleanup(server);
  });

  it('GET /myfsio/health answers status and version', async () => {
    const res = await fetch(`${server.apiUrl}/myfsio/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', version });
  });

  it.each(['/minio/health/live', '/minio/health/ready'])('gateway %s answers 200', async (path) => {
    const res = await fetch(`${server.apiUrl}${path}`);
    expect(res.status).toBe(200);
  });

  it('gateway readiness reports database, storage and redis', async () => {
    const body = (await (await fetch(`${server.apiUrl}/minio/health/ready`)).json()) as {
      status: string;
      info: Record<string, { status: string }>;
    };
    expect(body.status).toBe('ok');
    expect(Object.keys(body.info).sort()).toEqual(['database', 'redis', 'storage']);
  });

  it.each(['/health/live', '/health/ready'])('admin %s answers 200', async (path) => {
    const res = await fetch(`${server.adminUrl}${path}`);
    expect(res.status).toBe(200);
  });

  it('serves the OpenAPI document at /docs', async () => {
    const html = await fetch(`${server.adminUrl}/docs`);
    expect(html.status).toBe(200);
    const doc = (await (await fetch(`${server.adminUrl}/docs/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/health/live', '/health/ready']));
  });

  it('stamps x-amz-request-id on every gateway response', async () => {
    const res = await fetch(`${server.apiUrl}/`);
    expect(res.headers.get('x-amz-request-id')).toMatch(/^[0-9A-F]{16}$/);
  });

  it('readiness turns 503 when the database is unreachable', async () => {
    const broken = await startServer({ env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    try {
      const res = await fetch(`${broken.apiUrl}/minio/health/ready`);
      expect(res.status).toBe(503);
      const live = await fetch(`${broken.apiUrl}/minio/health/live`);
      expect(live.status).toBe(200);
    } finally {
      await broken.stop();
      cleanup(broken);
    }
  });

  it('finishes an upload in flight on SIGTERM, then exits 0', async () => {
    const s = await startServer();
    const auth = { 'x-access-key': s.accessKeyId, 'x-secret-key': s.secretAccessKey };
    try {
      expect((await fetch(`${s.apiUrl}/inflight`, { method: 'PUT', headers: auth })).status).toBe(200);
      const half = Buffer.alloc(512 * 1024, 7);
      const done = new Promise<number>((resolve, reject) => {
        const req = request(`${s.apiUrl}/inflight/slow.bin`, {
          method: 'PUT',
          headers: { ...auth, 'content-length': String(half.length * 2) },
        });
        req.on('response', (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
        req.write(half, () => {
          // Once the server is streaming the body into its temp file it is mid-request: ask it
          // to stop, then finish the body. (Signalling as soon as the bytes left the client
          // could beat the server to reading the request, which it would then refuse with 503.)
          const staging = join(s.storageRoot, '.myfsio.sys', 'tmp');
          eventually(() => readdirSafe(staging).some((name) => name.endsWith('.tmp')), 10_000).then(() => {
            s.process.kill('SIGTERM');
            setTimeout(() => req.end(half), 300);
          }, reject);
        });
      });
      expect(await done).toBe(200);
      expect(await s.stop()).toBe(0);
      expect(readFileSync(join(s.storageRoot, 'inflight/slow.bin')).length).toBe(half.length * 2);
    } finally {
      cleanup(s);
    }
  });
});
