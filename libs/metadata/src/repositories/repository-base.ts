import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import { dialectOf, type Dialect } from '../dialect';
import { isUniqueViolation } from '../errors';
import { managerOf, readManagerOf, UnitOfWork, type Tx } from '../unit-of-work';

/** Each conflict means another writer committed; its row lock then orders the rest, so few retries suffice. */
const MAX_CONFLICT_ATTEMPTS = 5;

/** Plumbing shared by the repositories: which manager reads, which writes, dialect quirks. */
@Injectable()
export abstract class RepositoryBase {
  protected readonly dialect: Dialect;

  constructor(
    protected readonly ds: DataSource,
    protected readonly uow: UnitOfWork,
  ) {
    this.dialect = dialectOf(ds);
  }

  /** The transaction's manager, or the committed-state reader outside one. */
  protected reader(tx?: Tx): EntityManager {
    return tx === undefined ? readManagerOf(this.ds) : managerOf(tx);
  }

  /** Runs a write in `tx`, or in a transaction of its own when `tx` is null. */
  protected write<T>(tx: Tx | null, fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return tx === null ? this.uow.run((own) => fn(managerOf(own))) : fn(managerOf(tx));
  }

  /** SELECT … FOR UPDATE where it exists; SQLite transactions are serialized anyway. */
  protected forUpdate<E extends ObjectLiteral>(qb: SelectQueryBuilder<E>): SelectQueryBuilder<E> {
    return this.dialect === 'sqlite' ? qb : qb.setLock('pessimistic_write');
  }

  /**
   * Runs `fn` in a savepoint, retrying when it hits a unique violation caused by a
   * concurrent transaction that committed first: the retry's fresh statements see that
   * row and handle it. The savepoint keeps the outer transaction usable on PostgreSQL.
   */
  protected async retryOnConflict<T>(m: EntityManager, fn: (m: EntityManager) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await m.transaction((inner) => fn(inner));
      } catch (err) {
        if (attempt >= MAX_CONFLICT_ATTEMPTS || !isUniqueViolation(err)) {
          throw err;
        }
      }
    }
  }
}
