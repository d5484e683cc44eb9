'use strict';
// Creates a non-root IAM user with one access key in a running MyFSIO's metadata (SQLite), through
// the built repositories in dist/ (the admin IAM API is not there yet), sealing the secret with the
// server's SECRET_KEY, and bumps the IAM version so the server's credential cache reloads.
const { randomBytes } = require('node:crypto');
const { join } = require('node:path');
const { REPO_ROOT } = require('./servers');

/**
 * Seeds user `name` with `inlinePolicies` (name → policy JSON) and returns
 * `{ accessKeyId, secretAccessKey, arn }`.
 */
async function seedUser({ storageRoot, secretKey, name, inlinePolicies }) {
  const { createDataSource, IamRepository, UnitOfWork } = require(
    join(REPO_ROOT, 'dist/libs/metadata/src/index.js'),
  );
  const { SecretBox } = require(join(REPO_ROOT, 'dist/libs/common/src/index.js'));
  const ds = createDataSource({ sqlitePath: join(storageRoot, '.myfsio.sys', 'meta.db') });
  await ds.initialize();
  try {
    const uow = new UnitOfWork(ds);
    const repo = new IamRepository(ds, uow);
    const accessKeyId = `BENCHUSER${randomBytes(6).toString('hex').toUpperCase()}`;
    const secretAccessKey = randomBytes(24).toString('base64url');
    await uow.run(async (tx) => {
      const user = await repo.createUser(tx, { name, isRoot: false, inlinePolicies });
      await repo.createAccessKey(tx, {
        accessKeyId,
        userId: user.id,
        secretEncrypted: new SecretBox(secretKey).seal(secretAccessKey),
        kind: 'user',
      });
      await repo.bumpVersion(tx);
    });
    return { accessKeyId, secretAccessKey, arn: `arn:aws:iam::000000000000:user/${name}` };
  } finally {
    await ds.destroy();
  }
}

module.exports = { seedUser };
