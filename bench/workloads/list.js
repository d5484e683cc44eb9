'use strict';
// ListObjectsV2 pages of 1000 at concurrency 1, over buckets filled by inserting index rows
// directly (see lib/seed-listing.js): a flat bucket, and a nested one (dirs × 1000 keys) listed
// with delimiter '/' both inside one directory and at the root (one CommonPrefix per directory).
// Sizes: 100k and 1M keys (quick: 10k and 100k).
const { seed, flatKey, flatKeys, nestedKeys } = require('../lib/seed-listing');
const { percentile, fmt, timed } = require('../lib/stats');

const PAGE_TARGET_MS = 30;
const GROWTH_TARGET = 1.5;
// Untimed pages per series, so the JIT and the caches are warm when timing starts.
const WARM_UP_PAGES = 5;

function unescapeXml(text) {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

async function listPage(target, bucket, query) {
  const res = await target.expectOk({
    method: 'GET',
    bucket,
    query: { 'list-type': '2', 'max-keys': '1000', ...query },
  });
  const text = res.body.toString('utf8');
  const token = /<NextContinuationToken>([^<]+)<\/NextContinuationToken>/.exec(text)?.[1];
  return {
    keyCount: Number(/<KeyCount>(\d+)<\/KeyCount>/.exec(text)?.[1] ?? NaN),
    token: token === undefined ? undefined : unescapeXml(token),
  };
}

/** Times `count` pages; `page(j, prev)` returns { query, expect } for the j-th request. */
async function series(target, bucket, count, page) {
  const latencies = [];
  let prev;
  let errors = 0;
  for (let w = 0; w < WARM_UP_PAGES; w++) {
    await listPage(target, bucket, page(0, undefined).query); // warm-up (JIT, page cache), not timed
  }
  for (let j = 0; j < count; j++) {
    const { query, expect } = page(j, prev);
    const { ms, value } = await timed(() => listPage(target, bucket, query));
    if (value.keyCount !== expect) {
      errors++;
      if (errors === 1) {
        console.log(
          `  warning: ${bucket} ${JSON.stringify(query)} returned ${value.keyCount} entries, not ${expect}`,
        );
      }
    }
    latencies.push(ms);
    prev = value;
  }
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), pages: count, errors };
}

/**
 * Flat: `count / 5` evenly spread start-after positions, each followed by up to four continuation
 * tokens (a start position is taken again when its listing runs out).
 */
function flatPages(total, count) {
  const perStart = 5;
  const starts = Math.max(1, Math.floor(count / perStart));
  let next = 0; // index of the first key the next page should hold
  return (j, prev) => {
    const start = Math.floor(Math.floor(j / perStart) * (total / starts));
    if (j % perStart === 0 || !prev?.token) {
      next = start;
      return { query: start > 0 ? { 'start-after': flatKey(start - 1) } : {}, expect: pageAt(total, start) };
    }
    next += 1000;
    return { query: { 'continuation-token': prev.token }, expect: pageAt(total, next) };
  };
}

function pageAt(total, first) {
  return Math.min(1000, Math.max(0, total - first));
}

function cell(r) {
  const errors = r.errors > 0 ? `, ${r.errors} wrong counts` : '';
  return `p50 ${fmt(r.p50)} ms, p99 ${fmt(r.p99)} ms (${r.pages} pages${errors})`;
}

function label(n) {
  return n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`;
}

module.exports = {
  name: 'list',
  description: 'ListObjectsV2 pages of 1000 over 100k and 1M keys, flat and nested',
  async run(ctx) {
    const sizes = ctx.quick ? [10_000, 100_000] : [100_000, 1_000_000];
    const pages = ctx.quick ? 30 : 100;
    const specs = [];
    for (const n of sizes) {
      const dirs = n / 1000;
      specs.push({ bucket: `list-flat-${label(n).toLowerCase()}`, keys: () => flatKeys(n) });
      specs.push({ bucket: `list-nested-${label(n).toLowerCase()}`, keys: () => nestedKeys(dirs, 1000) });
    }
    for (const spec of specs) {
      await ctx.myfsio.expectOk({ method: 'PUT', bucket: spec.bucket });
    }
    ctx.progress(
      `stopping MyFSIO to insert ${sizes.map(label).join(' + ')} keys (×2 layouts) into its index`,
    );
    await ctx.restartMyfsio((storageRoot) => {
      const t0 = Date.now();
      const rows = seed(storageRoot, specs);
      ctx.progress(`inserted ${rows.toLocaleString('en-US')} rows in ${fmt((Date.now() - t0) / 1000)} s`);
    });
    const results = [];
    for (const n of sizes) {
      const dirs = n / 1000;
      const tag = label(n);
      ctx.progress(`listing ${tag}`);
      const target = ctx.myfsio;
      const flat = await series(target, `list-flat-${tag.toLowerCase()}`, pages, flatPages(n, pages));
      const nestedBucket = `list-nested-${tag.toLowerCase()}`;
      const inDir = await series(target, nestedBucket, pages, (j) => ({
        query: {
          prefix: `dir-${String(Math.floor((j * dirs) / pages) % dirs).padStart(4, '0')}/`,
          delimiter: '/',
        },
        expect: 1000,
      }));
      const root = await series(target, nestedBucket, Math.min(pages, 30), () => ({
        query: { delimiter: '/' },
        expect: Math.min(1000, dirs),
      }));
      results.push({ n, dirs, flat, inDir, root });
    }
    const [small, large] = results;
    const rows = [
      ['flat', 'flat', () => 'page of 1000 keys'],
      ['inDir', "nested, prefix 'dir-NNNN/' + delimiter '/'", () => 'page of 1000 keys'],
      ['root', "nested, delimiter '/' at the root", (r) => `${Math.min(1000, r.dirs)} CommonPrefixes`],
    ];
    for (const [field, what, content] of rows) {
      for (const r of [small, large]) {
        const m = r[field];
        const ok = m.errors === 0;
        const growth = r === large && field !== 'root' ? m.p50 / small[field].p50 : null;
        ctx.report.add({
          workload: `LIST ${what}, ${label(r.n)} keys (${content(r)})`,
          myfsio: cell(m),
          baseline: null,
          ratio: growth === null ? null : `${fmt(growth)}× the ${label(small.n)} p50`,
          target:
            growth === null
              ? `p50 ≤ ${PAGE_TARGET_MS} ms`
              : `p50 ≤ ${GROWTH_TARGET}× the ${label(small.n)} p50`,
          pass: ok && (growth === null ? m.p50 <= PAGE_TARGET_MS : growth <= GROWTH_TARGET),
        });
      }
    }
  },
};
