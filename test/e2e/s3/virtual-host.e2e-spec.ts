import { request } from 'node:http';
import { cleanup, startServer, type RunningServer } from '../../support/server';

interface Reply {
  status: number;
  body: string;
}

describe('virtual-host style requests (S3_DOMAIN)', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ env: { S3_DOMAIN: 's3.example.test,storage.local' } });
  });
  afterAll(async () => {
    await server.stop();
    cleanup(server);
  });

  function send(method: string, host: string, path: string, body?: string): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: server.apiPort,
          method,
          path,
          headers: {
            host,
            'x-access-key': server.accessKeyId,
            'x-secret-key': server.secretAccessKey,
            'content-length': String(Buffer.byteLength(body ?? '')),
          },
        },
        (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  it('takes the bucket from the Host under any configured domain', async () => {
    expect((await send('PUT', `vhost-bucket.s3.example.test:${server.apiPort}`, '/')).status).toBe(200);
    expect((await send('PUT', 'vhost-bucket.s3.example.test', '/dir/file.txt', 'virtual')).status).toBe(200);
    const read = await send('GET', 'vhost-bucket.storage.local', '/dir/file.txt');
    expect(read).toEqual({ status: 200, body: 'virtual' });
    const pathStyle = await send('GET', `127.0.0.1:${server.apiPort}`, '/vhost-bucket/dir/file.txt');
    expect(pathStyle.body).toBe('virtual');
    const list = await send('GET', 'vhost-bucket.s3.example.test', '/?list-type=2');
    expect(list.body).toContain('<Key>dir/file.txt</Key>');
    expect(list.body).toContain('<Name>vhost-bucket</Name>');
  });

  it('treats the bare domain as path style', async () => {
    const res = await send('GET', 's3.example.test', '/vhost-bucket/dir/file.txt');
    expect(res).toEqual({ status: 200, body: 'virtual' });
  });
});
