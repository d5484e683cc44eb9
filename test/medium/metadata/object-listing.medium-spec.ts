import { compareUtf8, type ListObjectsQuery } from '@myfsio/metadata';
import { EntityManager } from 'typeorm';
import { describeEachDialect } from '../support/db-matrix';
import { newBucket, putKeys, useMetadataDb, version, type MetadataHarness } from './harness';

const UNICODE_KEYS = ['z', 'é', 'a', '中', 'b', '😀', '\uffff', 'B', 'a/b', 'a b', 'ab', '0'];
// UTF-8 byte order: '0' < 'B' < 'a' < 'a b' < 'a/b' < 'ab' < 'b' < 'z' < 'é' < '中' < U+FFFF < '😀'.
const BYTE_ORDER = ['0', 'B', 'a', 'a b', 'a/b', 'ab', 'b', 'z', 'é', '中', '\uffff', '😀'];

/** S3 ListObjects over `keys` by brute force: the reference a paged listing must match. */
function s3Listing(
  keys: readonly string[],
  prefix: string,
  delimiter: string,
  startAfter: string | undefined,
  maxKeys: number,
) {
  const items: { key?: string; prefix?: string }[] = [];
  for (const key of [...keys].sort(compareUtf8)) {
    if (!key.startsWith(prefix) || (startAfter !== undefined && compareUtf8(key, startAfter) <= 0)) {
      continue;
    }
    const at = key.indexOf(delimiter, prefix.length);
    const cp = at < 0 ? null : key.slice(0, at + delimiter.length);
    if (cp === null) {
      items.push({ key });
    } else if (
      items[items.length - 1]?.prefix !== cp &&
      (startAfter === undefined || compareUtf8(cp, startAfter) > 0)
    ) {
      items.push({ prefix: cp });
    }
  }
  const page = items.slice(0, maxKeys);
  return {
    keys: page.flatMap((i) => (i.key === undefined ? [] : [i.key])),
    prefixes: page.flatMap((i) => (i.prefix === undefined ? [] : [i.prefix])),
    isTruncated: items.length > maxKeys,
  };
}

async function listAll(h: MetadataHarness, q: Omit<ListObjectsQuery, 'startAfter'>) {
  const keys: string[] = [];
  const prefixes: string[] = [];
  let startAfter: string | undefined;
  for (let pages = 0; pages < 1000; pages++) {
    const page = await h.objects.listCurrent({ ...q, startAfter });
    keys.push(...page.entries.map((e) => e.key));
    prefixes.push(...page.commonPrefixes);
    if (!page.isTruncated) {
      return { keys, prefixes, pages: pages + 1 };
    }
    startAfter = page.nextMarker!;
  }
  throw new Error('listing did not end');
}

describeEachDialect('ObjectVersionRepository.listCurrent', (entry) => {
  const db = useMetadataDb(entry);

  it('lists keys in UTF-8 byte order', async () => {
    const h = db();
    const bucket = await newBucket(h);
    await putKeys(h, bucket.id, UNICODE_KEYS);

    const page = await h.objects.listCurrent({ bucketId: bucket.id, prefix: '', maxKeys: 1000 });
    expect(page.entries.map((e) => e.key)).toEqual(BYTE_ORDER);
    expect(page).toMatchObject({ commonPrefixes: [], isTruncated: false, nextMarker: null });

    // Paging one key at a time visits the same order.
    expect((await listAll(h, { bucketId: bucket.id, prefix: '', maxKeys: 1 })).keys).toEqual(BYTE_ORDER);
  });

  it('restricts to a unicode prefix and starts after the marker', async () => {
    const h = db();
    const bucket = await newBucket(h);
    await putKeys(h, bucket.id, ['é/1', 'é/2', 'é', 'éa', 'ê', 'e/1', '中/x']);

    const underE = await h.objects.listCurrent({ bucketId: bucket.id, prefix: 'é', maxKeys: 10 });
    expect(underE.entries.map((e) => e.key)).toEqual(['é', 'é/1', 'é/2', 'éa']);

    const after = await h.objects.listCurrent({
      bucketId: bucket.id,
      prefix: '',
      startAfter: 'é/1',
      maxKeys: 10,
    });
    expect(after.entries.map((e) => e.key)).toEqual(['é/2', 'éa', 'ê', '中/x']);

    // A marker before the prefix starts at the prefix.
    const early = await h.objects.listCurrent({
      bucketId: bucket.id,
      prefix: 'é/',
      startAfter: 'a',
      maxKeys: 10,
    });
    expect(early.entries.map((e) => e.key)).toEqual(['é/1', 'é/2']);
  });

  it('rolls keys up into common prefixes, skipping past the many keys under each', async () => {
    const h = db();
    const bucket = await newBucket(h);
    const keys = ['a.txt', 'm.txt', 'zz.txt'];
    for (const dir of ['b', 'c', 'n']) {
      for (let i = 0; i < 150; i++) {
        keys.push(`${dir}/file-${String(i).padStart(3, '0')}`);
      }
    }
    keys.push('c/sub/deep/file', 'c0');
    await putKeys(h, bucket.id, keys);

    const first = await h.objects.listCurrent({
      bucketId: bucket.id,
      prefix: '',
      delimiter: '/',
      maxKeys: 3,
    });
    expect(first.entries.map((e) => e.key)).toEqual(['a.txt']);
    expect(first.commonPrefixes).toEqual(['b/', 'c/']);
    expect(first).toMatchObject({ isTruncated: true, nextMarker: 'c/' });

    // The next page resumes after the common prefix instead of repeating it.
    const second = await h.objects.listCurrent({
      bucketId: bucket.id,
      prefix: '',
      delimiter: '/',
      startAfter: first.nextMarker!,
      maxKeys: 3,
    });
    expect(second.entries.map((e) => e.key)).toEqual(['c0', 'm.txt']);
    expect(second.commonPrefixes).toEqual(['n/']);
    expect(second).toMatchObject({ isTruncated: true, nextMarker: 'n/' });

    const third = await h.objects.listCurrent({
      bucketId: bucket.id,
      prefix: '',
      delimiter: '/',
      startAfter: second.nextMarker!,
      maxKeys: 3,
    });
    expect(third.entries.map((e) => e.key)).toEqual(['zz.txt']);
    expect(third).toMatchObject({ commonPrefixes: [], isTruncated: false, nextMarker: null });

    // Inside a prefix, with the delimiter, only the next level rolls up.
    const inC = await h.objects.listCurrent({
      bucketId: bucket.id,
      prefix: 'c/',
      delimiter: '/',
      maxKeys: 1000,
    });
    expect(inC.entries).toHaveLength(150);
    expect(inC.commonPrefixes).toEqual(['c/sub/']);

    const all = await listAll(h, { bucketId: bucket.id, prefix: '', maxKeys: 100 });
    expect(all.keys).toHaveLength(keys.length);
    expect(all.pages).toBe(Math.ceil(keys.length / 100));
  });

  it('counts common prefixes against max-keys and reports exact truncation', async () => {
    const h = db();
    const bucket = await newBucket(h);
    await putKeys(h, bucket.id, ['x/1', 'x/2', 'y/1', 'z']);

    const exact = await h.objects.listCurrent({
      bucketId: bucket.id,
      prefix: '',
      delimiter: '/',
      maxKeys: 3,
    });
    expect(exact).toMatchObject({ commonPrefixes: ['x/', 'y/'], isTruncated: false, nextMarker: null });
    expect(exact.entries.map((e) => e.key)).toEqual(['z']);

    const short = await h.objects.listCurrent({
      bucketId: bucket.id,
      prefix: '',
      delimiter: '/',
      maxKeys: 2,
    });
    expect(short).toMatchObject({ commonPrefixes: ['x/', 'y/'], isTruncated: true, nextMarker: 'y/' });
  });

  it('returns an empty, untruncated page for max-keys 0', async () => {
    const h = db();
    const bucket = await newBucket(h);
    await putKeys(h, bucket.id, ['a']);
    expect(await h.objects.listCurrent({ bucketId: bucket.id, prefix: '', maxKeys: 0 })).toEqual({
      entries: [],
      commonPrefixes: [],
      isTruncated: false,
      nextMarker: null,
    });
  });

  it('stores, finds and orders 1024-byte keys', async () => {
    const h = db();
    const bucket = await newBucket(h);
    const ascii = 'a'.repeat(1024);
    const twoByte = 'a'.repeat(1022) + 'é';
    const threeByte = '中'.repeat(341) + 'x';
    const fourByte = '😀'.repeat(256);
    for (const key of [ascii, twoByte, threeByte, fourByte]) {
      expect(Buffer.byteLength(key)).toBe(1024);
    }
    await putKeys(h, bucket.id, [fourByte, threeByte, twoByte, ascii]);

    expect((await h.objects.findCurrent(bucket.id, fourByte))?.key).toBe(fourByte);
    const page = await h.objects.listCurrent({ bucketId: bucket.id, prefix: 'a'.repeat(1000), maxKeys: 10 });
    expect(page.entries.map((e) => e.key)).toEqual([ascii, twoByte]);
    const all = await h.objects.listCurrent({ bucketId: bucket.id, prefix: '', maxKeys: 10 });
    expect(all.entries.map((e) => e.key)).toEqual([ascii, twoByte, threeByte, fourByte]);
  });

  it('hides delete markers and noncurrent versions', async () => {
    const h = db();
    const bucket = await newBucket(h, { versioning: 'Enabled' });
    await h.uow.run(async (tx) => {
      const opts = { replaceNullVersion: false };
      await h.objects.putCurrent(tx, version(bucket.id, 'kept', { versionId: 'v1' }), opts);
      await h.objects.putCurrent(tx, version(bucket.id, 'kept', { versionId: 'v2' }), opts);
      await h.objects.putCurrent(tx, version(bucket.id, 'gone', { versionId: 'v1' }), opts);
      await h.objects.putCurrent(
        tx,
        version(bucket.id, 'gone', { versionId: 'dm', isDeleteMarker: true }),
        opts,
      );
      await h.objects.putCurrent(
        tx,
        version(bucket.id, 'gone/under', { versionId: 'dm2', isDeleteMarker: true }),
        opts,
      );
    });
    const page = await h.objects.listCurrent({
      bucketId: bucket.id,
      prefix: '',
      delimiter: '/',
      maxKeys: 10,
    });
    expect(page.entries.map((e) => [e.key, e.versionId])).toEqual([['kept', 'v2']]);
    expect(page.commonPrefixes).toEqual([]);
  });

  it('pages through common prefixes like a brute-force listing, across delete markers and old versions', async () => {
    const h = db();
    const bucket = await newBucket(h, { versioning: 'Enabled' });
    const live = [
      'a',
      'a/1',
      'a/2',
      'a/3',
      'a0',
      'c/2',
      'c/3',
      'd',
      'k/1',
      'x//y',
      'x/z',
      'é/1',
      'éé',
      '中/x',
      '\uffff/y',
      '😀/x',
      '😀é',
    ];
    const deleted = ['b/1', 'b/2', 'c/1', 'n/old', 'é'];
    let n = 0;
    await h.uow.run(async (tx) => {
      const put = (key: string, isDeleteMarker = false) =>
        h.objects.putCurrent(tx, version(bucket.id, key, { versionId: `v${++n}`, isDeleteMarker }), {
          replaceNullVersion: false,
        });
      for (const key of [...live, ...deleted]) {
        await put(key);
      }
      for (const key of deleted) {
        await put(key, true);
      }
      await put('k/1');
    });

    for (const delimiter of ['/', 'é', '//']) {
      for (const prefix of ['', 'a', 'c/', 'x/']) {
        for (const maxKeys of [1, 2, 3, 1000]) {
          const q = { bucketId: bucket.id, prefix, delimiter, maxKeys };
          const expected = s3Listing(live, prefix, delimiter, undefined, Infinity);
          const got = await listAll(h, q);
          expect({ keys: got.keys, prefixes: got.prefixes }).toEqual({
            keys: expected.keys,
            prefixes: expected.prefixes,
          });
          // Starting after a key inside a group (or after the group itself) skips the rest of it.
          for (const startAfter of ['a/1', 'a/', 'c/1', 'x/', '😀']) {
            const page = await h.objects.listCurrent({ ...q, startAfter });
            const want = s3Listing(live, prefix, delimiter, startAfter, maxKeys);
            // Whole rows, including those a seek past a common prefix found.
            for (const entry of page.entries) {
              expect(entry).toMatchObject({
                size: 3,
                etag: 'acbd18db4cc2f85cedef654fccc4a4d8',
                isLatest: true,
              });
              expect(entry.versionId).toMatch(/^v\d+$/);
            }
            expect({
              keys: page.entries.map((e) => e.key),
              prefixes: page.commonPrefixes,
              isTruncated: page.isTruncated,
            }).toEqual(want);
          }
        }
      }
    }
  });

  it('keeps buckets apart', async () => {
    const h = db();
    const one = await newBucket(h);
    const two = await newBucket(h);
    await putKeys(h, one.id, ['shared', 'only-one']);
    await putKeys(h, two.id, ['shared']);
    const page = await h.objects.listCurrent({ bucketId: two.id, prefix: '', maxKeys: 10 });
    expect(page.entries.map((e) => e.key)).toEqual(['shared']);
  });
});

/** The parts of better-sqlite3 the plan test reaches. */
interface SqliteStatement {
  source: string;
  all(...params: unknown[]): unknown[];
}
interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
}

describeEachDialect('ObjectVersionRepository listing plans', (entry) => {
  const db = useMetadataDb(entry);

  /**
   * Runs `list` and returns the EXPLAIN output of each ordered scan query it issued: through
   * TypeORM, and on SQLite also as prepared better-sqlite3 statements (the seeks).
   */
  async function explainScans(h: MetadataHarness, list: () => Promise<unknown>): Promise<string[]> {
    const db =
      entry.dialect === 'sqlite'
        ? (h.ds.driver as unknown as { databaseConnection: SqliteDatabase }).databaseConnection
        : null;
    const querySpy = jest.spyOn(EntityManager.prototype, 'query');
    const statementSpy =
      db === null
        ? null
        : jest.spyOn(Object.getPrototypeOf(db.prepare('SELECT 1')) as SqliteStatement, 'all');
    let scans: { sql: string; params: unknown[] }[];
    try {
      await list();
    } finally {
      scans = querySpy.mock.calls.map(([sql, params]) => ({ sql, params: params ?? [] }));
      for (const [i, statement] of (statementSpy?.mock.contexts ?? []).entries()) {
        scans.push({ sql: (statement as SqliteStatement).source, params: statementSpy?.mock.calls[i] ?? [] });
      }
      querySpy.mockRestore();
      statementSpy?.mockRestore();
    }
    // Scans with a key bound: a first page from the start of the bucket has none to seek to.
    scans = scans.filter(
      ({ sql }) => /ORDER BY/.test(sql) && /object_key\W*>/.test(sql) && !/^EXPLAIN/.test(sql),
    );
    expect(scans.length).toBeGreaterThan(0);
    if (db !== null) {
      // Named parameters (prepared statements) bind as one object, positional ones as a list.
      return scans.map(({ sql, params }) =>
        JSON.stringify(db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params)),
      );
    }
    return Promise.all(
      scans.map(async ({ sql, params }) => JSON.stringify(await h.ds.query(`EXPLAIN ${sql}`, params))),
    );
  }

  it('reads a page from a key range of the ordered index, not from the start of the bucket', async () => {
    const h = db();
    const bucket = await newBucket(h);
    const keys = Array.from({ length: 600 }, (_, i) => `d${i % 20}/k${String(i).padStart(5, '0')}`);
    await putKeys(h, bucket.id, keys);
    if (entry.dialect === 'postgres') {
      await h.ds.query('ANALYZE object_versions');
    } else if (entry.dialect === 'mariadb') {
      await h.ds.query('ANALYZE TABLE object_versions');
    } else {
      await h.ds.query('ANALYZE');
    }

    const plans = await explainScans(h, async () => {
      await h.objects.listCurrent({ bucketId: bucket.id, prefix: 'd1', startAfter: 'd15/', maxKeys: 5 });
      // Seeks past common prefixes.
      await h.objects.listCurrent({ bucketId: bucket.id, prefix: '', delimiter: '/', maxKeys: 5 });
    });
    for (const plan of plans) {
      if (entry.dialect === 'mariadb') {
        // A range on (bucket_id, is_latest, object_key), never a ref on the first two columns.
        expect(plan).toMatch(/"type":"range".*"key":"IDX_object_versions_latest"/);
      } else if (entry.dialect === 'sqlite') {
        expect(plan).toMatch(/USING INDEX IDX_object_versions_\w+ \(bucket_id=\? AND .*object_key>\?/);
      } else {
        expect(plan).toMatch(/Index (Only )?Scan using/);
        expect(plan).toMatch(/object_key\)::text >=? /);
        expect(plan).not.toMatch(/Sort/);
      }
    }
  });
});
