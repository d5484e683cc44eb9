import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, startServer, type RunningServer } from '../../support/server';

describe('logging', () => {
  let server: RunningServer;
  afterAll(async () => {
    await server.stop();
    cleanup(server);
  });

  it('writes JSON lines with the request id to LOG_DIR/LOG_FILE, rotated by size and count, without secrets', async () => {
    server = await startServer({
      env: {
        LOG_TO_FILE: 'true',
        LOG_DIR: 'logs',
        LOG_LEVEL: 'DEBUG',
        LOG_MAX_BYTES: '4096',
        LOG_BACKUP_COUNT: '2',
      },
    });
    const ids: string[] = [];
    for (let i = 0; i < 60; i += 1) {
      const res = await fetch(`${server.apiUrl}/nobucket-${i}/k`, {
        headers: { 'x-access-key': server.accessKeyId, 'x-secret-key': server.secretAccessKey },
      });
      ids.push(res.headers.get('x-amz-request-id') ?? '');
    }
    await new Promise((r) => setTimeout(r, 500));
    const dir = join(server.dir, 'logs');
    const files = readdirSync(dir).sort();
    expect(files).toContain('app.log');
    expect(files).toContain('app.log.1');
    expect(files.length).toBeLessThanOrEqual(3);
    const text = files.map((f) => readFileSync(join(dir, f), 'utf8')).join('');
    const lines = text.split('\n').filter((l) => l !== '');
    for (const line of lines) {
      expect(() => JSON.parse(line) as unknown).not.toThrow();
    }
    const last = ids[ids.length - 1]!;
    expect(lines.some((l) => (JSON.parse(l) as { req?: { id?: string } }).req?.id === last)).toBe(true);
    expect(text).not.toContain(server.secretAccessKey);
  });
});
