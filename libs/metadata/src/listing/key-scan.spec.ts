import { scanKeys, type ScanFrom, type ScanSource } from './key-scan';
import { commonPrefixOf, compareUtf8, prefixSuccessor } from './utf8-order';

/** An ordered in-memory "index" that counts the rows it hands out. */
function memorySource(allKeys: string[], prefix: string) {
  const keys = [...new Set(allKeys)].filter((k) => k.startsWith(prefix)).sort(compareUtf8);
  const stats = { rowsRead: 0, fetches: 0 };
  const source: ScanSource<string, string> = {
    fetch: (from: ScanFrom<string>, limit: number) => {
      stats.fetches++;
      const after = (k: string) => {
        switch (from.kind) {
          case 'start':
            return true;
          case 'afterKey':
            return compareUtf8(k, from.key) > 0;
          case 'fromKey':
            return compareUtf8(k, from.key) >= 0;
          case 'afterRow':
            return compareUtf8(k, from.cursor) > 0;
        }
      };
      const rows = keys.filter(after).slice(0, limit);
      stats.rowsRead += rows.length;
      return Promise.resolve(rows);
    },
    keyOf: (k) => k,
    cursorOf: (k) => k,
  };
  return { source, stats, keys };
}

/** S3 ListObjects by brute force: the reference the scan must match. */
function reference(
  keys: string[],
  prefix: string,
  delimiter: string | undefined,
  marker: string | undefined,
  max: number,
) {
  const items: { key?: string; prefix?: string }[] = [];
  for (const key of [...new Set(keys)].sort(compareUtf8)) {
    if (!key.startsWith(prefix) || (marker !== undefined && compareUtf8(key, marker) <= 0)) {
      continue;
    }
    const cp = commonPrefixOf(key, prefix, delimiter);
    if (cp === null) {
      items.push({ key });
    } else if (
      items[items.length - 1]?.prefix !== cp &&
      (marker === undefined || compareUtf8(cp, marker) > 0)
    ) {
      items.push({ prefix: cp });
    }
  }
  const page = max <= 0 ? [] : items.slice(0, max);
  return {
    rows: page.filter((i) => i.key !== undefined).map((i) => i.key),
    commonPrefixes: page.filter((i) => i.prefix !== undefined).map((i) => i.prefix),
    isTruncated: max > 0 && items.length > max,
  };
}

function rng(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

describe('scanKeys', () => {
  it('matches brute-force S3 listing over random keys, prefixes, delimiters, markers and page sizes', async () => {
    const random = rng(42);
    const alphabet = ['a', 'b', '/', 'é', '中', '😀', '\uffff', '-'];
    const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
    const word = (n: number) =>
      Array.from({ length: 1 + Math.floor(random() * n) }, () => pick(alphabet)).join('');
    for (let round = 0; round < 300; round++) {
      const keys = Array.from({ length: Math.floor(random() * 60) }, () => word(6));
      const prefix = random() < 0.5 ? '' : word(2);
      const delimiter = pick([undefined, '/', '-', 'é', '😀']);
      const marker = random() < 0.5 ? undefined : word(4);
      const max = pick([0, 1, 2, 3, 5, 10, 1000]);
      const { source } = memorySource(keys, prefix);
      const got = await scanKeys(source, {
        prefix,
        delimiter,
        marker,
        start: marker === undefined ? { kind: 'start' } : { kind: 'afterKey', key: marker },
        maxItems: max,
      });
      const want = reference(keys, prefix, delimiter, marker, max);
      expect({ rows: got.rows, commonPrefixes: got.commonPrefixes, isTruncated: got.isTruncated }).toEqual(
        want,
      );
    }
  });

  it('reads O(page + common prefixes) rows however many keys sit under each prefix', async () => {
    const keys: string[] = [];
    for (let d = 0; d < 50; d++) {
      for (let i = 0; i < 2000; i++) {
        keys.push(`dir${String(d).padStart(2, '0')}/file${i}`);
      }
    }
    keys.push('top-a', 'top-b');
    const { source, stats } = memorySource(keys, '');
    const page = await scanKeys(source, {
      prefix: '',
      delimiter: '/',
      start: { kind: 'start' },
      maxItems: 10,
    });
    expect(page.commonPrefixes).toEqual(
      Array.from({ length: 10 }, (_, d) => `dir${String(d).padStart(2, '0')}/`),
    );
    expect(page.isTruncated).toBe(true);
    expect(stats.rowsRead).toBeLessThan(500);
    expect(stats.fetches).toBeLessThanOrEqual(12);
  });

  it('does not return a common prefix again when the marker lies inside it', async () => {
    const { source } = memorySource(['a/1', 'a/2', 'b'], '');
    const page = await scanKeys(source, {
      prefix: '',
      delimiter: '/',
      marker: 'a/',
      start: { kind: 'afterKey', key: 'a/' },
      maxItems: 10,
    });
    expect(page).toMatchObject({ rows: ['b'], commonPrefixes: [], isTruncated: false });
  });

  it('returns nothing and no truncation for a page size of 0', async () => {
    const { source, stats } = memorySource(['a', 'b'], '');
    const page = await scanKeys(source, { prefix: '', start: { kind: 'start' }, maxItems: 0 });
    expect(page).toEqual({ rows: [], commonPrefixes: [], isTruncated: false, last: null });
    expect(stats.fetches).toBe(0);
  });

  it('stops at a prefix with no successor', async () => {
    const top = '\u{10ffff}';
    expect(prefixSuccessor(top + '/')).not.toBeNull();
    const { source } = memorySource([`${top}${top}a`, `${top}${top}b`], '');
    const page = await scanKeys(source, {
      prefix: '',
      delimiter: `${top}${top}`,
      start: { kind: 'start' },
      maxItems: 5,
    });
    expect(page.commonPrefixes).toEqual([`${top}${top}`]);
    expect(page.isTruncated).toBe(false);
  });
});
