import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { SystemStateEntity } from '../entities/system-state.entity';
import { isUniqueViolation } from '../errors';
import type { Tx } from '../unit-of-work';
import { RepositoryBase } from './repository-base';

/** Reads an integer counter kept as text in system_state; 0 when absent. */
export async function readCounter(m: EntityManager, key: string): Promise<number> {
  const row = await m.findOne(SystemStateEntity, { where: { key } });
  return row === null ? 0 : Number(row.value);
}

/**
 * Increments a counter in system_state and returns the new value. The row is locked
 * (FOR UPDATE) so concurrent increments serialize; a concurrent first insert surfaces as
 * a unique violation, after which the retry finds and locks the row.
 */
export async function incrementCounter(m: EntityManager, key: string, canLock: boolean): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await m.transaction(async (inner) => {
        const qb = inner
          .getRepository(SystemStateEntity)
          .createQueryBuilder('s')
          .where('s.key = :key', { key });
        // SQLite has no FOR UPDATE; its transactions are serialized anyway.
        const row = await (canLock ? qb.setLock('pessimistic_write') : qb).getOne();
        const value = (row === null ? 0 : Number(row.value)) + 1;
        const next: SystemStateEntity = { key, value: String(value), updatedAt: new Date() };
        if (row === null) {
          await inner.insert(SystemStateEntity, next);
        } else {
          await inner.update(SystemStateEntity, { key }, { value: next.value, updatedAt: next.updatedAt });
        }
        return value;
      });
    } catch (err) {
      if (attempt >= 3 || !isUniqueViolation(err)) {
        throw err;
      }
    }
  }
}

/** Small key/value settings of the whole installation (schema info, counters). */
@Injectable()
export class SystemStateRepository extends RepositoryBase {
  /** The value stored under `key`, or null. */
  async get(key: string, tx?: Tx): Promise<string | null> {
    const row = await this.reader(tx).findOne(SystemStateEntity, { where: { key } });
    return row?.value ?? null;
  }

  /** Stores `value` under `key`, replacing any earlier value. */
  async set(tx: Tx | null, key: string, value: string): Promise<void> {
    await this.write(tx, (m) =>
      m.upsert(SystemStateEntity, { key, value, updatedAt: new Date() }, ['key']).then(() => undefined),
    );
  }

  /** Deletes `key`; false when it was absent. */
  async delete(tx: Tx | null, key: string): Promise<boolean> {
    return this.write(tx, async (m) => ((await m.delete(SystemStateEntity, { key })).affected ?? 0) > 0);
  }

  /**
   * Claims the run of periodic job `name` for the period starting `now`: true for exactly one
   * caller per `periodMs` across every process sharing the database (the row under
   * `run:<name>` records who claimed last and when; a claim succeeds only once the previous
   * one is at least `periodMs` old). A conditional UPDATE, then an INSERT for the first claim
   * ever (a concurrent first insert loses on the primary key), so no dialect needs row locks.
   */
  async claimPeriod(name: string, holder: string, periodMs: number, now: Date): Promise<boolean> {
    const key = `run:${name}`;
    return this.write(null, async (m) => {
      const updated = await m
        .createQueryBuilder()
        .update(SystemStateEntity)
        .set({ value: holder, updatedAt: now })
        .where('key = :key AND updated_at <= :cutoff', { key, cutoff: now.getTime() - periodMs })
        .execute();
      if ((updated.affected ?? 0) > 0) {
        return true;
      }
      if (await m.findOne(SystemStateEntity, { where: { key } })) {
        return false;
      }
      try {
        // A nested transaction is a savepoint: a losing insert leaves the outer one usable on PostgreSQL.
        await m.transaction((inner) =>
          inner.insert(SystemStateEntity, { key, value: holder, updatedAt: now }),
        );
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) {
          return false;
        }
        throw err;
      }
    });
  }
}
