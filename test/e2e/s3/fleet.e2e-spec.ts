import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScratchDb, DB_MATRIX, type ScratchDb } from '../../medium/support/db-matrix';
import { SEED_SECRET_KEY } from '../../support/seed-users';
import { bucketName, s3Client } from '../../support/s3-client';
import { cleanup, type RunningServer, startServer } from '../../support/server';

const md5 = (data: string) => createHash('md5').update(data).digest('hex');

/**
 * Two gateways over one STORAGE_ROOT and one PostgreSQL database, as a fleet runs them behind
 * a load balancer. Writers of one key on different gateways must still leave the plain file,
 * the row and every version agreeing: last complete write wins, nothing interleaves.
 */
describe('a fleet of two gateways', () => {
  let db: ScratchDb;
  let shared: string;
  let gateways: RunningServer[] = [];
  let clients: S3Client[] = [];

  beforeAll(async () => {
    db = await createScratchDb(DB_MATRIX.find((e) => e.dialect === 'postgres')!);
    shared = mkdtempSync(join(tmpdir(), 'myfsio-fleet-'));
    const env = {
      DATABASE_URL: db.databaseUrl!,
      STORAGE_ROOT: join(shared, 'data'),
      SECRET_KEY: SEED_SECRET_KEY,
    };
    // One after the other: the first one migrates the database and creates the admin user.
    gateways.push(await startServer({ env }));
    gateways.push(await startServer({ env }));
    clients = gateways.map((g) => s3Client(g));
  });

  afterAll(async () => {
    for (const gateway of gateways) {
      await gateway.stop();
      cleanup(gateway);
    }
    gateways = [];
    rmSync(shared, { recursive: true, force: true });
    await db?.drop();
  });

  async function read(client: S3Client, Bucket: string, Key: string, VersionId?: string) {
    const got = await client.send(new GetObjectCommand({ Bucket, Key, VersionId }));
    return { body: await got.Body!.transformToString(), etag: got.ETag!.replace(/"/g, '') };
  }

  /** Both gateways write `Key` at once, `rounds` times; each body is unique and of its own length. */
  async function race(Bucket: string, Key: string, rounds: number) {
    const written: { body: string; versionId?: string }[] = [];
    for (let round = 0; round < rounds; round++) {
      const bodies = clients.map((_, g) => `round ${round} gateway ${g} ${'x'.repeat(g * 7 + (round % 5))}`);
      const results = await Promise.all(
        clients.map((client, g) => client.send(new PutObjectCommand({ Bucket, Key, Body: bodies[g] }))),
      );
      results.forEach((r, g) => written.push({ body: bodies[g]!, versionId: r.VersionId }));
      // Whichever write won, both gateways serve it, with its own ETag, and it is the plain file.
      const seen = await Promise.all(clients.map((c) => read(c, Bucket, Key)));
      expect(bodies).toContain(seen[0]!.body);
      expect(seen[1]).toEqual(seen[0]);
      expect(seen[0]!.etag).toBe(md5(seen[0]!.body));
      expect(readFileSync(join(shared, 'data', Bucket, Key), 'utf8')).toBe(seen[0]!.body);
    }
    return written;
  }

  it('keeps the plain file and the row of one key together under writers on both gateways', async () => {
    const Bucket = bucketName('fleet');
    await clients[0]!.send(new CreateBucketCommand({ Bucket }));
    await race(Bucket, 'shared/key.txt', 25);
    const head = await clients[1]!.send(new HeadObjectCommand({ Bucket, Key: 'shared/key.txt' }));
    expect(head.ContentLength).toBe(readFileSync(join(shared, 'data', Bucket, 'shared/key.txt')).length);
  });

  it('keeps every acknowledged version of a key written from both gateways', async () => {
    const Bucket = bucketName('fleetv');
    await clients[1]!.send(new CreateBucketCommand({ Bucket }));
    await clients[0]!.send(
      new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    const written = await race(Bucket, 'k', 15);
    for (const { body, versionId } of written) {
      expect(await read(clients[written.length % 2]!, Bucket, 'k', versionId)).toEqual({
        body,
        etag: md5(body),
      });
    }
    const listed = await clients[0]!.send(new ListObjectVersionsCommand({ Bucket }));
    expect(listed.Versions).toHaveLength(written.length);
    expect(listed.Versions!.filter((v) => v.IsLatest)).toHaveLength(1);
  });

  it('reads after writes and lists after writes across gateways', async () => {
    const Bucket = bucketName('fleetr');
    await clients[0]!.send(new CreateBucketCommand({ Bucket }));
    for (let i = 0; i < 10; i++) {
      await clients[i % 2]!.send(new PutObjectCommand({ Bucket, Key: `k${i}`, Body: `body ${i}` }));
      expect((await read(clients[(i + 1) % 2]!, Bucket, `k${i}`)).body).toBe(`body ${i}`);
    }
  });
});
