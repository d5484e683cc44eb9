import { Injectable } from '@nestjs/common';
import { BucketConfigEntity } from '../entities/bucket-config.entity';
import type { BucketConfig } from '../types';
import type { Tx } from '../unit-of-work';
import { toBucketConfig } from './mappers';
import { RepositoryBase } from './repository-base';

/** Per-bucket configuration documents keyed by kind ('policy', 'lifecycle', 'cors', 'tagging', …). */
@Injectable()
export class BucketConfigRepository extends RepositoryBase {
  /** The document of `kind` for the bucket, or null when none is set. */
  async get(bucketId: string, kind: string, tx?: Tx): Promise<BucketConfig | null> {
    const row = await this.reader(tx).findOne(BucketConfigEntity, { where: { bucketId, kind } });
    return row === null ? null : toBucketConfig(row);
  }

  /** Every document set on the bucket, by kind. */
  async list(bucketId: string): Promise<BucketConfig[]> {
    const rows = await this.reader().find(BucketConfigEntity, {
      where: { bucketId },
      order: { kind: 'ASC' },
    });
    return rows.map(toBucketConfig);
  }

  /** Sets or replaces the document of `kind`. Throws a foreign key error when the bucket does not exist. */
  async put(tx: Tx | null, bucketId: string, kind: string, document: string): Promise<BucketConfig> {
    const row: BucketConfigEntity = { bucketId, kind, document, updatedAt: new Date() };
    await this.write(tx, (m) => m.upsert(BucketConfigEntity, row, ['bucketId', 'kind']));
    return toBucketConfig(row);
  }

  /** Removes the document of `kind`; false when none was set. */
  async delete(tx: Tx | null, bucketId: string, kind: string): Promise<boolean> {
    return this.write(
      tx,
      async (m) => ((await m.delete(BucketConfigEntity, { bucketId, kind })).affected ?? 0) > 0,
    );
  }
}
