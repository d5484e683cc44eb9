'use strict';
// Multipart uploads: (1) 1 GiB in 16 MiB parts at concurrency 8, create → parts → complete timed
// end to end against the baseline doing the same; (2) CompleteMultipartUpload alone for 1 GiB in
// 200 parts, against `cp` copying a 1 GiB file on the same disk in the same run. A server that
// answers 501 NotImplemented is reported as "not available".
const { spawnSync } = require('node:child_process');
const { closeSync, fsyncSync, openSync, rmSync, writeSync } = require('node:fs');
const { join } = require('node:path');
const { BLOCK } = require('../lib/client');
const { closedLoop, timed, fmt, MiB } = require('../lib/stats');

const BUCKET = 'bench-multipart';
const NOT_AVAILABLE = 'not available (501 NotImplemented)';

/** Uploads `size` bytes in parts of `partSize`; resolves { uploadMs, completeMs, totalMs } or null on 501. */
async function multipart(target, key, size, partSize, concurrency) {
  const t0 = performance.now();
  const created = await target.request({
    method: 'POST',
    bucket: BUCKET,
    key,
    query: { uploads: '' },
    collect: true,
  });
  if (created.status === 501) {
    return null;
  }
  const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(created.body.toString('utf8'))?.[1];
  if (created.status !== 200 || !uploadId) {
    throw new Error(
      `CreateMultipartUpload → ${created.status} ${created.body.toString('utf8').slice(0, 300)}`,
    );
  }
  const count = Math.ceil(size / partSize);
  const etags = [];
  const parts = await closedLoop({
    concurrency,
    ops: count,
    op: async (i) => {
      const length = i < count - 1 ? partSize : size - partSize * (count - 1);
      const query = { partNumber: String(i + 1), uploadId };
      const res = await target.expectOk({
        method: 'PUT',
        bucket: BUCKET,
        key,
        query,
        body: { size: length },
      });
      etags[i] = res.headers.etag;
      return length;
    },
  });
  if (parts.errors > 0) {
    if (/→ 501/.test(parts.firstError)) {
      return null;
    }
    throw new Error(`UploadPart failed ${parts.errors} times: ${parts.firstError}`);
  }
  const uploadMs = performance.now() - t0;
  const xml =
    '<CompleteMultipartUpload>' +
    etags.map((etag, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${etag}</ETag></Part>`).join('') +
    '</CompleteMultipartUpload>';
  const body = Buffer.from(xml);
  const done = await timed(() =>
    target.request({ method: 'POST', bucket: BUCKET, key, query: { uploadId }, body, collect: true }),
  );
  const text = done.value.body.toString('utf8');
  if (done.value.status === 501) {
    return null;
  }
  if (done.value.status !== 200 || text.includes('<Error>')) {
    throw new Error(`CompleteMultipartUpload → ${done.value.status} ${text.slice(0, 300)}`);
  }
  await target.request({ method: 'DELETE', bucket: BUCKET, key });
  return { uploadMs, completeMs: done.ms, totalMs: performance.now() - t0 };
}

/** Writes a `size`-byte file, then times `cp` of it (and the fsync of the copy, reported apart). */
function timeCp(dir, size) {
  const src = join(dir, 'cp-source');
  const dst = join(dir, 'cp-copy');
  const fd = openSync(src, 'w');
  for (let left = size; left > 0; left -= BLOCK.length) {
    writeSync(fd, BLOCK, 0, Math.min(left, BLOCK.length));
  }
  fsyncSync(fd);
  closeSync(fd);
  try {
    const t0 = performance.now();
    const cp = spawnSync('cp', [src, dst]);
    const cpMs = performance.now() - t0;
    if (cp.status !== 0) {
      throw new Error(`cp failed: ${cp.stderr}`);
    }
    const t1 = performance.now();
    const out = openSync(dst, 'r');
    fsyncSync(out);
    closeSync(out);
    return { cpMs, fsyncMs: performance.now() - t1 };
  } finally {
    rmSync(src, { force: true });
    rmSync(dst, { force: true });
  }
}

module.exports = {
  name: 'multipart',
  description: 'multipart 1 GiB (16 MiB parts, c=8) and CompleteMultipartUpload of 200 parts',
  async run(ctx) {
    const size = ctx.quick ? 256 * MiB : 1024 * MiB;
    const completeParts = ctx.quick ? 50 : 200;
    const partSize = Math.max(5 * MiB, Math.ceil((1024 * MiB) / 200));
    const completeSize = ctx.quick ? completeParts * partSize : 1024 * MiB;
    const sizeLabel = `${size / MiB >= 1024 ? `${size / MiB / 1024} GiB` : `${size / MiB} MiB`}`;
    const completeLabel = `${fmt(completeSize / MiB / 1024, 2)} GiB in ${completeParts} parts`;
    for (const target of [ctx.myfsio, ctx.baseline]) {
      await target.expectOk({ method: 'PUT', bucket: BUCKET });
    }
    ctx.progress(`MyFSIO: multipart ${sizeLabel} in 16 MiB parts, c=8`);
    const m = await multipart(ctx.myfsio, 'mpu/a', size, 16 * MiB, 8);
    if (m === null) {
      for (const workload of [
        `Multipart ${sizeLabel}, 16 MiB parts, c=8`,
        `CompleteMultipartUpload, ${completeLabel}`,
      ]) {
        ctx.report.add({
          workload,
          myfsio: NOT_AVAILABLE,
          baseline: null,
          ratio: null,
          target: null,
          pass: null,
        });
      }
      return;
    }
    ctx.progress(`baseline: multipart ${sizeLabel}`);
    const b = await multipart(ctx.baseline, 'mpu/a', size, 16 * MiB, 8);
    const rate = (r) => (size / MiB / r.totalMs) * 1000;
    const cellA = (r) =>
      `${fmt(rate(r))} MiB/s (parts ${fmt(r.uploadMs / 1000)} s, complete ${fmt(r.completeMs)} ms)`;
    ctx.report.add({
      workload: `Multipart ${sizeLabel}, 16 MiB parts, c=8`,
      myfsio: cellA(m),
      baseline: cellA(b),
      ratio: rate(m) / rate(b),
      target: '≥ 0.60× baseline',
      pass: rate(m) / rate(b) >= 0.6,
    });

    ctx.progress(`MyFSIO: ${completeLabel}, then cp of the same size`);
    const m2 = await multipart(ctx.myfsio, 'mpu/b', completeSize, partSize, 8);
    const b2 = await multipart(ctx.baseline, 'mpu/b', completeSize, partSize, 8);
    const cp = timeCp(ctx.scratchDir, completeSize);
    if (m2 === null || b2 === null) {
      const workload = `CompleteMultipartUpload, ${completeLabel}`;
      ctx.report.add({
        workload,
        myfsio: NOT_AVAILABLE,
        baseline: null,
        ratio: null,
        target: null,
        pass: null,
      });
      return;
    }
    ctx.report.add({
      workload: `CompleteMultipartUpload, ${completeLabel}`,
      myfsio: `${fmt(m2.completeMs)} ms`,
      baseline:
        `cp ${fmt(cp.cpMs)} ms (its fsync after: ${fmt(cp.fsyncMs)} ms more); ` +
        `baseline server's complete ${fmt(b2.completeMs)} ms`,
      ratio: cp.cpMs / m2.completeMs,
      target: '≤ 2× cp',
      pass: m2.completeMs <= 2 * cp.cpMs,
    });
  },
};
