'use strict';
// Server memory under load: 16 concurrent 1 GiB PUTs (bodies generated on the fly) while VmRSS of
// the server process is sampled every 100 ms; the objects are deleted afterwards. The baseline
// does the same, for comparison. Scaled down, with a warning, when the disk has < 20 GiB free.
const { statfsSync } = require('node:fs');
const { closedLoop, fmt, MiB } = require('../lib/stats');
const { sampleRss } = require('../lib/servers');

const BUCKET = 'bench-rss';
const STREAMS = 16;
const GiB = 1024 * MiB;
const RSS_LIMIT = 300 * MiB;

async function measure(target, pid, size) {
  await target.expectOk({ method: 'PUT', bucket: BUCKET });
  const sampler = sampleRss(pid, 100);
  const put = await closedLoop({
    concurrency: STREAMS,
    ops: STREAMS,
    op: async (i) => {
      await target.expectOk({
        method: 'PUT',
        bucket: BUCKET,
        key: `big/o${i}`,
        body: { size },
        collect: false,
      });
      return size;
    },
  });
  const { peak, samples } = sampler.stop();
  for (let i = 0; i < STREAMS; i++) {
    await target.request({ method: 'DELETE', bucket: BUCKET, key: `big/o${i}` });
  }
  return { put, peak, samples };
}

module.exports = {
  name: 'rss',
  description: 'server RSS during 16 concurrent 1 GiB uploads',
  async run(ctx) {
    let size = ctx.quick ? 128 * MiB : GiB;
    const { bavail, bsize } = statfsSync(ctx.scratchDir);
    const free = bavail * bsize;
    if (!ctx.quick && free < 20 * GiB) {
      size = Math.max(64 * MiB, Math.floor((free - 4 * GiB) / STREAMS / (64 * MiB)) * 64 * MiB);
      ctx.report.note(
        `only ${fmt(free / GiB)} GiB free on the bench disk: RSS workload scaled down to ${STREAMS} × ${size / MiB} MiB`,
      );
    }
    const label = size >= GiB ? `${size / GiB} GiB` : `${size / MiB} MiB`;
    ctx.progress(`MyFSIO: ${STREAMS} concurrent PUTs of ${label}, sampling VmRSS every 100 ms`);
    const before = ctx.rss();
    const m = await measure(ctx.myfsio, ctx.myfsioPid(), size);
    ctx.progress(`baseline: the same`);
    const b = await measure(ctx.baseline, ctx.baselinePid(), size);
    const cell = (r) =>
      `peak RSS ${fmt(r.peak / MiB)} MiB, ${fmt(r.put.mibPerSec)} MiB/s` +
      (r.put.errors > 0 ? `, ${r.put.errors} errors` : '');
    ctx.report.add({
      workload: `Server RSS, ${STREAMS} concurrent PUTs of ${label}`,
      myfsio: `${cell(m)} (${fmt(before / MiB)} MiB before)`,
      baseline: cell(b),
      ratio: m.put.mibPerSec / b.put.mibPerSec,
      target: `RSS ≤ ${RSS_LIMIT / MiB} MiB`,
      pass: m.peak <= RSS_LIMIT && m.put.errors === 0,
    });
  },
};
