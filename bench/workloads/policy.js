'use strict';
// GET of 4 KiB objects at concurrency 32 by the admin (root) and by a non-root user whose access
// is decided by a 20-statement identity policy and a 20-statement bucket policy naming it (the
// bucket policy alone grants the reads, so the figure holds before identity policies are
// resolved too). Slices alternate between the two callers on the same server: the ratio is the
// cost of policy evaluation on the hot path.
const { randomBytes } = require('node:crypto');
const { Target } = require('../lib/client');
const { describeLoop } = require('../lib/report');
const { seedUser } = require('../lib/seed-user');
const { closedLoop, merge } = require('../lib/stats');

const SIZE = 4096;
const CONCURRENCY = 32;
const OBJECTS = 300;
const BUCKET = 'bench-policy';
const USER = 'bench-policy-user';

/** 19 statements that do not match the request (other buckets, prefixes, actions) and one that does. */
function statements(match, other) {
  const out = [];
  for (let i = 0; i < 19; i++) {
    out.push(other(i));
  }
  out.push(match);
  return out;
}

function identityPolicy() {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: statements(
      { Effect: 'Allow', Action: ['s3:GetObject'], Resource: [`arn:aws:s3:::${BUCKET}/*`] },
      (i) => ({
        Sid: `Other${i}`,
        Effect: i % 5 === 0 ? 'Deny' : 'Allow',
        Action: ['s3:PutObject', 's3:DeleteObject', `s3:GetObject${i % 2 === 0 ? 'Tagging' : 'Acl'}`],
        Resource: [`arn:aws:s3:::other-bucket-${i}/*`],
        Condition: { StringLike: { 's3:prefix': [`team-${i}/*`] } },
      }),
    ),
  });
}

function bucketPolicy(arn) {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: statements(
      {
        Sid: 'UserRead',
        Effect: 'Allow',
        Principal: { AWS: [arn] },
        Action: ['s3:GetObject'],
        Resource: [`arn:aws:s3:::${BUCKET}/*`],
      },
      (i) => ({
        Sid: `Other${i}`,
        Effect: i % 4 === 0 ? 'Deny' : 'Allow',
        Principal: { AWS: [`arn:aws:iam::000000000000:user/someone-${i}`] },
        Action: ['s3:GetObject', 's3:PutObject'],
        Resource: [`arn:aws:s3:::${BUCKET}/restricted-${i}/*`],
        Condition: { IpAddress: { 'aws:SourceIp': [`10.${i}.0.0/16`] } },
      }),
    ),
  });
}

function getLoop(target, seconds) {
  return closedLoop({
    concurrency: CONCURRENCY,
    durationMs: seconds * 1000,
    op: async () => {
      const key = `p/k${Math.floor(Math.random() * OBJECTS)}`;
      const res = await target.expectOk({ method: 'GET', bucket: BUCKET, key, collect: false });
      if (res.bytes !== SIZE) {
        throw new Error(`GET ${key} returned ${res.bytes} bytes`);
      }
      return res.bytes;
    },
  });
}

module.exports = {
  name: 'policy',
  description: 'GET 4 KiB at c=32: a user bound by 20-statement policies vs the admin',
  async run(ctx) {
    const admin = ctx.myfsio;
    await admin.expectOk({ method: 'PUT', bucket: BUCKET });
    const body = randomBytes(SIZE);
    await closedLoop({
      concurrency: CONCURRENCY,
      ops: OBJECTS,
      op: (i) => admin.expectOk({ method: 'PUT', bucket: BUCKET, key: `p/k${i}`, body, collect: false }),
    });
    const user = await seedUser({
      storageRoot: ctx.storageRoot,
      secretKey: ctx.secretKey,
      name: USER,
      inlinePolicies: { 'bench-read': identityPolicy() },
    });
    const policy = Buffer.from(bucketPolicy(user.arn));
    await admin.expectOk({ method: 'PUT', bucket: BUCKET, query: { policy: '' }, body: policy });
    const userTarget = new Target({ name: 'user', port: admin.port, auth: admin.auth, ...user });
    try {
      // Warm both callers (credential caches, policy cache, connections).
      await getLoop(admin, 0.5);
      await getLoop(userTarget, 0.5);
      const rounds = ctx.quick ? 2 : 4;
      const slice = 2;
      ctx.progress(`${rounds} round(s) of ${slice} s GET slices per caller`);
      const slices = { admin: [], user: [] };
      for (let round = 0; round < rounds; round++) {
        const order = round % 2 === 0 ? ['admin', 'user'] : ['user', 'admin'];
        for (const side of order) {
          slices[side].push(await getLoop(side === 'admin' ? admin : userTarget, slice));
        }
      }
      const a = merge(slices.admin);
      const u = merge(slices.user);
      const ratio = u.opsPerSec / a.opsPerSec;
      ctx.report.add({
        workload: 'GET 4 KiB, c=32, 20-statement policies',
        myfsio: `user: ${describeLoop(u, 'ops')}`,
        baseline: `admin: ${describeLoop(a, 'ops')}`,
        ratio,
        target: '≥ 0.90× the admin (same run)',
        pass: ratio >= 0.9 && u.errors === 0 && a.errors === 0,
      });
    } finally {
      userTarget.close();
    }
  },
};
