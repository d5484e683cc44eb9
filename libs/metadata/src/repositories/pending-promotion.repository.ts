import { Injectable } from '@nestjs/common';
import { Between } from 'typeorm';
import { SystemStateEntity } from '../entities/system-state.entity';
import type { Tx } from '../unit-of-work';
import { RepositoryBase } from './repository-base';

/** Entries live in system_state under this prefix, one per object version row. */
const PREFIX = 'promotion:';
/** The first key after every `promotion:` key (';' follows ':' in every collation we use). */
const PREFIX_END = 'promotion;';

/**
 * A latest object version whose bytes sit in the versions area while the plain path may hold
 * other bytes: the state between "the row names its version file" and "the bytes are back at
 * the plain path and the row says so". Registered in the transaction that creates the state,
 * removed in the one that ends it, so a crash in between leaves a record of what to finish.
 */
export interface PendingPromotion {
  /** The object_versions row. */
  rowId: string;
  bucketId: string;
  bucketName: string;
  key: string;
  /** The version file holding the row's bytes. */
  storagePath: string;
  /** The process that registered it (see ProcessIdentity in @myfsio/common). */
  host: string;
  pid: number;
  incarnation: string;
  createdAt: Date;
}

/** The journal of {@link PendingPromotion}s, kept in system_state so no schema change is needed. */
@Injectable()
export class PendingPromotionRepository extends RepositoryBase {
  /** Records `entry` (replacing an earlier record of the same row). */
  async add(tx: Tx, entry: PendingPromotion): Promise<void> {
    const { rowId, createdAt, ...rest } = entry;
    await this.write(tx, (m) =>
      m
        .upsert(
          SystemStateEntity,
          { key: PREFIX + rowId, value: JSON.stringify(rest), updatedAt: createdAt },
          ['key'],
        )
        .then(() => undefined),
    );
  }

  /** Removes the record of row `rowId`; false when there was none. */
  async remove(tx: Tx | null, rowId: string): Promise<boolean> {
    return this.write(
      tx,
      async (m) => ((await m.delete(SystemStateEntity, { key: PREFIX + rowId })).affected ?? 0) > 0,
    );
  }

  /** The record of row `rowId`, or null. */
  async find(rowId: string, tx?: Tx): Promise<PendingPromotion | null> {
    const row = await this.reader(tx).findOne(SystemStateEntity, { where: { key: PREFIX + rowId } });
    return row === null ? null : toEntry(row);
  }

  /** Up to `limit` records, oldest key first (a primary-key range scan). */
  async list(limit: number): Promise<PendingPromotion[]> {
    const rows = await this.reader().find(SystemStateEntity, {
      where: { key: Between(PREFIX, PREFIX_END) },
      order: { key: 'ASC' },
      take: limit,
    });
    return rows.filter((r) => r.key.startsWith(PREFIX)).map(toEntry);
  }
}

function toEntry(row: SystemStateEntity): PendingPromotion {
  const value = JSON.parse(row.value) as Omit<PendingPromotion, 'rowId' | 'createdAt'>;
  return { ...value, rowId: row.key.slice(PREFIX.length), createdAt: row.updatedAt };
}
