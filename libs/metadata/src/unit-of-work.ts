import { Injectable } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, type EntityManager } from 'typeorm';
import { MetadataDataSource } from './data-source';
import { dialectOf } from './dialect';
import { isDeadlock } from './errors';
import { WalSyncer } from './wal-sync';

declare const TX_BRAND: unique symbol;

/**
 * An open metadata transaction, handed out by `UnitOfWork.run` and valid only inside its
 * callback. Opaque: services pass it to repository methods and never look inside.
 */
export interface Tx {
  readonly [TX_BRAND]: true;
}

class TxHandle {
  constructor(readonly manager: EntityManager) {}
}

/** The EntityManager bound to a transaction (inside this lib only). */
export function managerOf(tx: Tx): EntityManager {
  return (tx as unknown as TxHandle).manager;
}

/** The manager for reads outside a transaction (see `MetadataDataSource.readManager`). */
export function readManagerOf(ds: DataSource): EntityManager {
  return ds instanceof MetadataDataSource ? ds.readManager : ds.manager;
}

/** The most units one SQLite commit carries. */
const MAX_GROUP = 64;

interface PendingUnit {
  body: (manager: EntityManager) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * Group commit for SQLite. It has one writer connection, so transactions run one at a time.
 * Units that queue up while a commit is in progress share the next one: each runs inside its
 * own SAVEPOINT (a failing unit rolls back only itself), and every unit's promise settles after
 * the shared COMMIT and the WAL fsync that follows it (on the libuv pool, see WalSyncer), so a
 * caller never sees success before its rows are durable.
 */
class GroupCommitter {
  private readonly queue: PendingUnit[] = [];
  private isDraining = false;

  private readonly wal: WalSyncer | null;

  constructor(private readonly ds: DataSource) {
    const path = ds.options.database;
    this.wal = typeof path === 'string' && path !== ':memory:' ? new WalSyncer(path) : null;
  }

  submit<T>(body: (manager: EntityManager) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ body, resolve: resolve as (value: unknown) => void, reject });
      if (!this.isDraining) {
        void this.drain();
      }
    });
  }

  private async drain(): Promise<void> {
    this.isDraining = true;
    try {
      while (this.queue.length > 0) {
        await this.commitGroup(this.queue.splice(0, MAX_GROUP));
      }
    } finally {
      this.isDraining = false;
    }
  }

  private async commitGroup(group: PendingUnit[]): Promise<void> {
    const outcomes: Outcome[] = [];
    try {
      await this.ds.transaction(async (manager) => {
        if (group.length === 1) {
          // Alone in its commit: a failure rolls the whole transaction back, no savepoint needed.
          outcomes.push({ ok: true, value: await group[0]!.body(manager) });
          return;
        }
        for (const [index, unit] of group.entries()) {
          const savepoint = `unit_${index}`;
          await manager.query(`SAVEPOINT ${savepoint}`);
          try {
            outcomes.push({ ok: true, value: await unit.body(manager) });
            await manager.query(`RELEASE SAVEPOINT ${savepoint}`);
          } catch (error) {
            await manager.query(`ROLLBACK TO SAVEPOINT ${savepoint}`);
            await manager.query(`RELEASE SAVEPOINT ${savepoint}`);
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      // The single unit failed (rolled back), or the shared COMMIT failed: nothing is durable.
      for (const [index, unit] of group.entries()) {
        const outcome = outcomes[index];
        unit.reject(group.length === 1 || outcome?.ok !== false ? error : outcome.error);
      }
      return;
    }
    const settle = () => {
      for (const [index, unit] of group.entries()) {
        const outcome = outcomes[index]!;
        if (outcome.ok) {
          unit.resolve(outcome.value);
        } else {
          unit.reject(outcome.error);
        }
      }
    };
    if (this.wal === null) {
      settle();
      return;
    }
    // Not awaited: the next group commits while this one's log sync runs on the libuv pool.
    this.wal.sync().then(settle, (error: unknown) => {
      for (const unit of group) {
        unit.reject(error);
      }
    });
  }
}

/** Deadlock victims are rare and a retry normally succeeds at once; beyond this, report the error. */
const MAX_DEADLOCK_ATTEMPTS = 4;

/** How a unit of work may be run. */
export interface UnitOptions {
  /**
   * The unit touches nothing but the database, so when PostgreSQL or MySQL roll it back as a
   * deadlock victim it is run again from the start (up to a few times). Never set it for a unit
   * with effects outside the database (a file published inside it, say).
   */
  isRestartable?: boolean;
}

const committers = new WeakMap<DataSource, GroupCommitter>();
/**
 * Set while nesting detection is on (see `UnitOfWork.detectNesting`). An AsyncLocalStorage
 * in use turns on promise hooks for the whole process on Node 20, which costs about a tenth
 * of the main thread's time per small S3 request, so the server leaves it off.
 */
let openTx: AsyncLocalStorage<{ ds: DataSource; isOpen: boolean }> | undefined;

/**
 * The only way to open a metadata transaction. On SQLite transactions run one at a time in
 * this process and share commits (see GroupCommitter); on PostgreSQL and MySQL each takes a pooled connection at READ COMMITTED
 * (on MySQL this avoids the gap locks that make concurrent first writes of a key deadlock).
 */
@Injectable()
export class UnitOfWork {
  constructor(private readonly ds: DataSource) {}

  /**
   * Turns detection of nested units on or off for the process. A nested `run` is a
   * programming error (on SQLite it waits for itself forever); with detection on it rejects
   * at once instead. The test suites turn it on; the server does not (see `openTx`).
   */
  static detectNesting(enabled: boolean): void {
    openTx = enabled ? (openTx ?? new AsyncLocalStorage()) : undefined;
  }

  /**
   * Runs `fn` in a transaction: commits when it resolves, rolls back and rethrows when it
   * rejects. Not re-entrant: pass the outer `tx` down instead of calling `run` inside `fn`
   * (on SQLite that would wait for itself forever; see `detectNesting`). Never retried, since `fn` may have
   * side effects outside the database.
   */
  run<T>(fn: (tx: Tx) => Promise<T>, options: UnitOptions = {}): Promise<T> {
    const tracker = openTx;
    const outer = tracker?.getStore();
    if (outer !== undefined && outer.isOpen && outer.ds === this.ds) {
      return Promise.reject(
        new Error('UnitOfWork.run called inside another UnitOfWork.run; pass the outer tx down'),
      );
    }
    const isSqlite = dialectOf(this.ds) === 'sqlite';
    const body = (manager: EntityManager): Promise<T> => {
      if (tracker === undefined) {
        return fn(new TxHandle(manager) as unknown as Tx);
      }
      const scope = { ds: this.ds, isOpen: true };
      return tracker.run(scope, async () => {
        try {
          return await fn(new TxHandle(manager) as unknown as Tx);
        } finally {
          scope.isOpen = false;
        }
      });
    };
    if (!isSqlite) {
      return this.runOnServer(body, options.isRestartable === true);
    }
    let committer = committers.get(this.ds);
    if (committer === undefined) {
      committer = new GroupCommitter(this.ds);
      committers.set(this.ds, committer);
    }
    return committer.submit(body);
  }

  private async runOnServer<T>(
    body: (manager: EntityManager) => Promise<T>,
    isRestartable: boolean,
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.ds.transaction('READ COMMITTED', body);
      } catch (err) {
        // The server rolled the whole transaction back; only a database-only unit may run again.
        if (!isRestartable || attempt >= MAX_DEADLOCK_ATTEMPTS || !isDeadlock(err)) {
          throw err;
        }
      }
    }
  }
}
