'use strict';
// PUT then GET of 64 MiB objects at concurrency 4, a fixed number of operations each, in rounds
// that alternate between MyFSIO and the baseline. GETs read the objects just written (so from the
// page cache, on both servers alike); every object is deleted after.
const { closedLoop, merge, MiB } = require('../lib/stats');
const { describeLoop } = require('../lib/report');

const SIZE = 64 * MiB;
const CONCURRENCY = 4;
const BUCKET = 'bench-large';

function putSlice(target, keys) {
  return closedLoop({
    concurrency: CONCURRENCY,
    ops: keys.length,
    op: async (i) => {
      await target.expectOk({
        method: 'PUT',
        bucket: BUCKET,
        key: keys[i],
        body: { size: SIZE },
        collect: false,
      });
      return SIZE;
    },
  });
}

function getSlice(target, keys) {
  return closedLoop({
    concurrency: CONCURRENCY,
    ops: keys.length,
    op: async (i) => {
      const res = await target.expectOk({ method: 'GET', bucket: BUCKET, key: keys[i], collect: false });
      if (res.bytes !== SIZE) {
        throw new Error(`GET ${keys[i]} returned ${res.bytes} bytes`);
      }
      return res.bytes;
    },
  });
}

module.exports = {
  name: 'large',
  description: 'PUT/GET 64 MiB at concurrency 4',
  async run(ctx) {
    const count = ctx.quick ? 8 : 32;
    const rounds = ctx.quick ? 1 : 4;
    const per = count / rounds;
    const results = { myfsio: { put: [], get: [] }, baseline: { put: [], get: [] } };
    for (const side of ['myfsio', 'baseline']) {
      await ctx[side].expectOk({ method: 'PUT', bucket: BUCKET });
    }
    ctx.progress(`${rounds} round(s) of ${per} PUTs then ${per} GETs of 64 MiB per server`);
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? ['myfsio', 'baseline'] : ['baseline', 'myfsio'];
      const keys = Array.from({ length: per }, (_, i) => `l/r${round}-o${i}`);
      for (const side of order) {
        results[side].put.push(await putSlice(ctx[side], keys));
      }
      for (const side of order) {
        results[side].get.push(await getSlice(ctx[side], keys));
      }
      for (const side of order) {
        for (const key of keys) {
          await ctx[side].request({ method: 'DELETE', bucket: BUCKET, key });
        }
      }
    }
    const m = { put: merge(results.myfsio.put), get: merge(results.myfsio.get) };
    const b = { put: merge(results.baseline.put), get: merge(results.baseline.get) };
    for (const [kind, min] of [
      ['PUT', 0.6],
      ['GET', 0.7],
    ]) {
      const mine = m[kind.toLowerCase()];
      const base = b[kind.toLowerCase()];
      const ratio = mine.mibPerSec / base.mibPerSec;
      ctx.report.add({
        workload: `${kind} 64 MiB, c=4 (${count} objects)`,
        myfsio: describeLoop(mine, 'MiB'),
        baseline: describeLoop(base, 'MiB'),
        ratio,
        target: `≥ ${min.toFixed(2)}× baseline`,
        pass: ratio >= min && mine.errors === 0,
      });
    }
  },
};
