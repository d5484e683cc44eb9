/** Connection fields of a server database, parsed from `DATABASE_URL`. */
export interface ServerDatabase {
  dialect: 'postgres' | 'mysql';
  host: string;
  port: number;
  username: string;
  password: string;
  database: string;
  /** false, or TLS options: `rejectUnauthorized` follows libpq's sslmode (require does not verify). */
  ssl: false | { rejectUnauthorized: boolean };
}

const SCHEMES: Record<string, ServerDatabase['dialect']> = {
  'postgres:': 'postgres',
  'postgresql:': 'postgres',
  'mysql:': 'mysql',
  'mariadb:': 'mysql',
};

/**
 * Parses `postgres://user:pass@host:5432/db?sslmode=require` or
 * `mysql://user:pass@host:3306/db?ssl=true` (also `mariadb://`). Credentials are
 * percent-decoded. Throws an Error naming the problem (never echoing the password)
 * for an unknown scheme or a missing database name.
 */
export function parseDatabaseUrl(url: string): ServerDatabase {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('DATABASE_URL is not a valid URL');
  }
  const dialect = SCHEMES[parsed.protocol];
  if (dialect === undefined) {
    throw new Error(
      `DATABASE_URL scheme '${parsed.protocol}' is not supported (postgres://, mysql://, mariadb://)`,
    );
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (database === '') {
    throw new Error('DATABASE_URL names no database');
  }
  return {
    dialect,
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1') || 'localhost',
    port: parsed.port === '' ? (dialect === 'postgres' ? 5432 : 3306) : Number(parsed.port),
    username: decodeURIComponent(parsed.username) || (dialect === 'postgres' ? 'postgres' : 'root'),
    password: decodeURIComponent(parsed.password),
    database,
    ssl: sslOf(parsed.searchParams),
  };
}

function sslOf(params: URLSearchParams): ServerDatabase['ssl'] {
  const mode = params.get('sslmode');
  if (mode === 'verify-ca' || mode === 'verify-full') {
    return { rejectUnauthorized: true };
  }
  if (mode === 'require') {
    return { rejectUnauthorized: false };
  }
  const ssl = params.get('ssl');
  return ssl === 'true' || ssl === '1' ? { rejectUnauthorized: true } : false;
}
