'use strict';
// PUT, GET and HEAD of 4 KiB objects at concurrency 32, each for a fixed duration, split into
// slices that alternate between MyFSIO and the baseline (so a noisy neighbour hits both alike).
// PUT writes new keys (creates, not overwrites); GET and HEAD pick at random among the keys the
// PUT slices wrote.
const { randomBytes } = require('node:crypto');
const { closedLoop, merge } = require('../lib/stats');
const { describeLoop } = require('../lib/report');

const SIZE = 4096;
const CONCURRENCY = 32;
const BUCKET = 'bench-small';

async function phase(target, kind, seconds, written) {
  const body = randomBytes(SIZE);
  const durationMs = seconds * 1000;
  if (kind === 'PUT') {
    return closedLoop({
      concurrency: CONCURRENCY,
      durationMs,
      op: async () => {
        const key = `s/k${String(written.next++).padStart(7, '0')}`;
        await target.expectOk({ method: 'PUT', bucket: BUCKET, key, body, collect: false });
        written.push(key);
        return SIZE;
      },
    });
  }
  return closedLoop({
    concurrency: CONCURRENCY,
    durationMs,
    op: async () => {
      const key = written[Math.floor(Math.random() * written.length)];
      const res = await target.expectOk({ method: kind, bucket: BUCKET, key, collect: false });
      if (kind === 'GET' && res.bytes !== SIZE) {
        throw new Error(`GET ${key} returned ${res.bytes} bytes`);
      }
      return res.bytes;
    },
  });
}

async function warmUp(target) {
  const body = randomBytes(SIZE);
  await closedLoop({
    concurrency: CONCURRENCY,
    ops: 300,
    op: (i) => target.expectOk({ method: 'PUT', bucket: BUCKET, key: `warm/k${i}`, body, collect: false }),
  });
}

module.exports = {
  name: 'small',
  description: 'PUT/GET/HEAD 4 KiB at concurrency 32',
  async run(ctx) {
    const rounds = ctx.quick ? 1 : 4;
    const slice = 2;
    const slices = { myfsio: { PUT: [], GET: [], HEAD: [] }, baseline: { PUT: [], GET: [], HEAD: [] } };
    const written = { myfsio: Object.assign([], { next: 0 }), baseline: Object.assign([], { next: 0 }) };
    for (const side of ['myfsio', 'baseline']) {
      await ctx[side].expectOk({ method: 'PUT', bucket: BUCKET });
      await warmUp(ctx[side]);
    }
    ctx.progress(`${rounds} round(s) of ${slice} s slices per operation and server`);
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? ['myfsio', 'baseline'] : ['baseline', 'myfsio'];
      for (const kind of ['PUT', 'GET', 'HEAD']) {
        for (const side of order) {
          slices[side][kind].push(await phase(ctx[side], kind, slice, written[side]));
        }
      }
    }
    for (const kind of ['PUT', 'GET', 'HEAD']) {
      const m = merge(slices.myfsio[kind]);
      const b = merge(slices.baseline[kind]);
      const ratio = m.opsPerSec / b.opsPerSec;
      const hasTarget = kind !== 'HEAD';
      ctx.report.add({
        workload: `${kind} 4 KiB, c=32`,
        myfsio: describeLoop(m, 'ops'),
        baseline: describeLoop(b, 'ops'),
        ratio,
        target: hasTarget ? '≥ 0.50× baseline' : null,
        pass: hasTarget ? ratio >= 0.5 && m.errors === 0 : null,
      });
    }
  },
};
