import { parseDatabaseUrl } from './database-url';

describe('parseDatabaseUrl', () => {
  it('reads a PostgreSQL URL with percent-encoded credentials and sslmode', () => {
    expect(parseDatabaseUrl('postgresql://my%40user:p%3Ass@db.local:6543/meta?sslmode=require')).toEqual({
      dialect: 'postgres',
      host: 'db.local',
      port: 6543,
      username: 'my@user',
      password: 'p:ss',
      database: 'meta',
      ssl: { rejectUnauthorized: false },
    });
  });

  it('maps mysql:// and mariadb:// to the mysql dialect with default port and user', () => {
    for (const scheme of ['mysql', 'mariadb']) {
      expect(parseDatabaseUrl(`${scheme}://127.0.0.1/test`)).toMatchObject({
        dialect: 'mysql',
        port: 3306,
        username: 'root',
        ssl: false,
      });
    }
  });

  it('verifies certificates for verify-full and ssl=true', () => {
    expect(parseDatabaseUrl('postgres://h/db?sslmode=verify-full').ssl).toEqual({ rejectUnauthorized: true });
    expect(parseDatabaseUrl('mysql://h/db?ssl=true').ssl).toEqual({ rejectUnauthorized: true });
  });

  it('rejects unknown schemes and URLs without a database, without echoing the password', () => {
    expect(() => parseDatabaseUrl('redis://h/0')).toThrow("scheme 'redis:' is not supported");
    expect(() => parseDatabaseUrl('postgres://u:secret@h/')).toThrow('names no database');
    expect(() => parseDatabaseUrl('not a url')).toThrow('not a valid URL');
    try {
      parseDatabaseUrl('postgres://u:secret@h/');
    } catch (err) {
      expect(String(err)).not.toContain('secret');
    }
  });
});
