import { Injectable } from '@nestjs/common';
import { OutboxEntity } from '../entities/outbox.entity';
import type { OutboxMessage } from '../types';
import { managerOf, type Tx } from '../unit-of-work';
import { RepositoryBase } from './repository-base';

function toMessage(e: OutboxEntity): OutboxMessage {
  return {
    id: e.id,
    topic: e.topic,
    payload: JSON.parse(e.payload) as unknown,
    createdAt: e.createdAt,
    availableAt: e.availableAt,
    attempts: e.attempts,
  };
}

/**
 * The durable outbox: work written in the same transaction as the change that causes
 * it, claimed by dispatchers with a lease so a crashed worker's messages come back.
 */
@Injectable()
export class OutboxRepository extends RepositoryBase {
  /** Adds a message in `tx`; `payload` must be JSON-serializable. Returns its id. */
  async enqueue(tx: Tx, topic: string, payload: unknown, availableAt?: Date): Promise<number> {
    const now = new Date();
    const result = await managerOf(tx).insert(OutboxEntity, {
      topic,
      payload: JSON.stringify(payload),
      createdAt: now,
      availableAt: availableAt ?? now,
      attempts: 0,
      lockedUntil: null,
      lockedBy: null,
    });
    return Number((result.identifiers[0] as { id?: unknown } | undefined)?.id);
  }

  /**
   * Claims up to `batch` available messages for `workerId` for `leaseMs`, oldest first,
   * and counts the attempt. Concurrent workers skip rows another claim has locked (FOR
   * UPDATE SKIP LOCKED: PostgreSQL, MySQL 8, MariaDB 10.6+), and each claim is a
   * conditional update besides, so no message is claimed twice while its lease runs. A
   * message whose lease expired without complete/fail is claimable again.
   */
  async claim(batch: number, workerId: string, leaseMs: number): Promise<OutboxMessage[]> {
    return this.uow.run(async (tx) => {
      const m = managerOf(tx);
      const now = Date.now();
      const query = m
        .getRepository(OutboxEntity)
        .createQueryBuilder('o')
        .where('o.availableAt <= :now', { now })
        .andWhere('(o.lockedUntil IS NULL OR o.lockedUntil <= :now)', { now })
        .orderBy('o.availableAt', 'ASC')
        .addOrderBy('o.id', 'ASC')
        .limit(batch);
      if (this.dialect !== 'sqlite') {
        query.setLock('pessimistic_write').setOnLocked('skip_locked');
      }
      const candidates = await query.getMany();
      const claimed: OutboxMessage[] = [];
      for (const row of candidates) {
        const result = await m
          .createQueryBuilder()
          .update(OutboxEntity)
          .set({ lockedUntil: new Date(now + leaseMs), lockedBy: workerId, attempts: () => 'attempts + 1' })
          .where('id = :id', { id: row.id })
          .andWhere('(locked_until IS NULL OR locked_until <= :now)', { now })
          .execute();
        if ((result.affected ?? 0) > 0) {
          claimed.push(toMessage({ ...row, attempts: row.attempts + 1 }));
        }
      }
      return claimed;
    });
  }

  /** Removes a handled message; false when it was already gone. */
  async complete(id: number): Promise<boolean> {
    return this.write(null, async (m) => ((await m.delete(OutboxEntity, { id })).affected ?? 0) > 0);
  }

  /** Releases a message for another attempt at `nextAt` (backoff is the caller's). */
  async fail(id: number, nextAt: Date): Promise<boolean> {
    return this.write(null, async (m) => {
      const result = await m.update(
        OutboxEntity,
        { id },
        { availableAt: nextAt, lockedUntil: null, lockedBy: null },
      );
      return (result.affected ?? 0) > 0;
    });
  }

  /** Messages waiting or in flight (metrics, tests). */
  count(): Promise<number> {
    return this.reader().count(OutboxEntity);
  }
}
