import { SecretBox } from '@myfsio/common';
import { createDataSource, IamRepository, UnitOfWork } from '@myfsio/metadata';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { RunningServer } from './server';

/** SECRET_KEY for servers whose users a test seeds (pass it in `startServer({ env })`). */
export const SEED_SECRET_KEY = 'e2e-seed-secret-key-0123456789abcdef';

export interface SeededUser {
  userName: string;
  userId: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** The ARN bucket policies name the user by. */
  arn: string;
}

/**
 * Writes a non-root IAM user with one access key straight into a running server's SQLite
 * metadata (the admin IAM API lives on another branch), sealing the secret with
 * {@link SEED_SECRET_KEY}, and bumps the IAM version so the server's cache reloads.
 * `inlinePolicies` are the user's inline policies (name → policy JSON), as the schema stores them.
 */
export async function seedUser(
  server: RunningServer,
  userName: string,
  inlinePolicies: Record<string, string> | null = null,
): Promise<SeededUser> {
  const ds = createDataSource({ sqlitePath: join(server.storageRoot, '.myfsio.sys', 'meta.db') });
  await ds.initialize();
  try {
    const uow = new UnitOfWork(ds);
    const repo = new IamRepository(ds, uow);
    const accessKeyId = `MFSEED${randomBytes(7).toString('hex').toUpperCase()}`;
    const secretAccessKey = randomBytes(24).toString('base64url');
    const user = await uow.run(async (tx) => {
      const created = await repo.createUser(tx, { name: userName, isRoot: false, inlinePolicies });
      await repo.createAccessKey(tx, {
        accessKeyId,
        userId: created.id,
        secretEncrypted: new SecretBox(SEED_SECRET_KEY).seal(secretAccessKey),
        kind: 'user',
      });
      await repo.bumpVersion(tx);
      return created;
    });
    return {
      userName,
      userId: user.id,
      accessKeyId,
      secretAccessKey,
      arn: `arn:aws:iam::000000000000:user/${userName}`,
    };
  } finally {
    await ds.destroy();
  }
}
