import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createConnection } from 'mysql2/promise';

/** The three metadata dialects every medium test runs on. */
export type DbDialect = 'sqlite' | 'postgres' | 'mariadb';

export interface DbMatrixEntry {
  dialect: DbDialect;
  /** Server URL of an existing database used to create and drop scratch databases; none for SQLite. */
  adminUrl?: string;
}

/** Overridable for other machines; CI has all three at these addresses. */
export const DB_MATRIX: readonly DbMatrixEntry[] = [
  { dialect: 'sqlite' },
  {
    dialect: 'postgres',
    adminUrl: process.env.MYFSIO_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  },
  { dialect: 'mariadb', adminUrl: process.env.MYFSIO_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test' },
];

/** A fresh, empty database for one test file; `drop()` removes it. */
export interface ScratchDb {
  dialect: DbDialect;
  /** undefined for SQLite. */
  databaseUrl?: string;
  sqlitePath: string;
  drop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Creates a scratch database: a temp file for SQLite, `myfsio_test_<random>` on the servers. */
export async function createScratchDb(entry: DbMatrixEntry): Promise<ScratchDb> {
  const name = `myfsio_test_${randomBytes(6).toString('hex')}`;
  if (entry.dialect === 'sqlite' || entry.adminUrl === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'myfsio-meta-'));
    return {
      dialect: entry.dialect,
      sqlitePath: join(dir, '.myfsio.sys', 'meta.db'),
      drop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
    };
  }
  const adminUrl = entry.adminUrl;
  const sqlitePath = join(tmpdir(), 'unused.db');
  if (entry.dialect === 'postgres') {
    await withPg(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
    return {
      dialect: entry.dialect,
      databaseUrl: withDatabase(adminUrl, name),
      sqlitePath,
      drop: () => withPg(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
    };
  }
  await withMysql(adminUrl, (c) => c.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4`));
  return {
    dialect: entry.dialect,
    databaseUrl: withDatabase(adminUrl, name),
    sqlitePath,
    drop: () => withMysql(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name}`)),
  };
}

async function withPg(url: string, fn: (c: Client) => Promise<unknown>): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await fn(client);
  } finally {
    await client.end();
  }
}

async function withMysql(
  url: string,
  fn: (c: Awaited<ReturnType<typeof createConnection>>) => Promise<unknown>,
): Promise<void> {
  const connection = await createConnection(url);
  try {
    await fn(connection);
  } finally {
    await connection.end();
  }
}

/**
 * Whether the server of an entry accepts TCP connections. Synchronous (a short child
 * process) because Jest decides `describe` vs `describe.skip` while collecting tests.
 */
function isReachable(entry: DbMatrixEntry): boolean {
  if (entry.adminUrl === undefined) {
    return true;
  }
  const { hostname, port } = new URL(entry.adminUrl);
  const probe =
    `const s=require('net').connect(${Number(port)},${JSON.stringify(hostname)});` +
    `s.setTimeout(2000,()=>process.exit(1));s.on('connect',()=>process.exit(0));s.on('error',()=>process.exit(1));`;
  return spawnSync(process.execPath, ['-e', probe], { timeout: 5000 }).status === 0;
}

const reachable = new Map<DbDialect, boolean>();

/**
 * Declares `body` once per dialect as `describe('<title> [<dialect>]')`. A dialect whose
 * server is unreachable is skipped with the reason in the suite name; any other failure
 * (authentication, a missing privilege) fails the tests.
 */
export function describeEachDialect(title: string, body: (entry: DbMatrixEntry) => void): void {
  for (const entry of DB_MATRIX) {
    let ok = reachable.get(entry.dialect);
    if (ok === undefined) {
      ok = isReachable(entry);
      reachable.set(entry.dialect, ok);
    }
    if (ok) {
      describe(`${title} [${entry.dialect}]`, () => body(entry));
    } else {
      const where = entry.adminUrl === undefined ? '' : new URL(entry.adminUrl).host;
      describe.skip(`${title} [${entry.dialect}] SKIPPED: server ${where} unreachable`, () => body(entry));
    }
  }
}
