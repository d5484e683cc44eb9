import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, ENV_NAMES, loadConfig } from './load-config';
import { describeSettings } from './redact';

const cwd = mkdtempSync(join(tmpdir(), 'myfsio-config-'));
const load = (env: Record<string, string>) => loadConfig(env, { cwd, envFile: false });

function errorLines(env: Record<string, string>): string[] {
  try {
    load(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      return err.lines;
    }
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = load({});
    expect(config.server.apiPort).toBe(5000);
    expect(config.server.adminPort).toBe(5100);
    expect(config.storage.maxUploadSize).toBe(1073741824);
    expect(config.storage.root).toBe(join(cwd, 'data'));
    expect(config.database.sqlitePath).toBe(join(cwd, 'data', '.myfsio.sys', 'meta.db'));
    expect(config.s3.region).toBe('us-east-1');
    expect(config.storage.bulkDeleteMaxKeys).toBe(500);
    expect(config.log.level).toBe('INFO');
    expect(config.sources.APP_PORT).toBe('default');
  });

  it('reads booleans, integers and lists from strings', () => {
    const config = load({ GC_ENABLED: 'true', APP_PORT: '6000', S3_DOMAIN: 'S3.example.com,localhost' });
    expect(config.gc.enabled).toBe(true);
    expect(config.server.apiPort).toBe(6000);
    expect(config.s3.domains).toEqual(['s3.example.com', 'localhost']);
    expect(config.sources.APP_PORT).toBe('env');
  });

  it.each([
    ['MAX_UPLOAD_SIZE', 'lots'],
    ['APP_PORT', '70000'],
    ['GC_ENABLED', 'maybe'],
    ['API_BASE_URL', 'not a url'],
    ['DATABASE_URL', 'oracle://x'],
    ['REDIS_URL', 'localhost:6379'],
    ['RATE_LIMIT_DEFAULT', 'fast'],
    ['SERVER_THREADS', '100'],
    ['LOG_LEVEL', 'LOUD'],
  ])('rejects %s=%s with one line naming the variable and the value', (name, value) => {
    const lines = errorLines({ [name]: value });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(name);
    expect(lines[0]).toContain(JSON.stringify(value));
    expect(lines[0]).toContain('expected');
  });

  it('reports every bad variable at once', () => {
    expect(errorLines({ APP_PORT: 'x', UI_PORT: 'y' })).toHaveLength(2);
  });

  it('accepts 0 as automatic for server tuning', () => {
    expect(load({ SERVER_THREADS: '0', SERVER_BACKLOG: '256' }).server.backlog).toBe(256);
  });

  it('reads an env file and lets the environment win', () => {
    const file = join(cwd, 'custom.env');
    writeFileSync(file, 'APP_PORT=7000\nUI_PORT=7100\n');
    const config = loadConfig({ UI_PORT: '7200' }, { cwd, envFile: file });
    expect(config.server.apiPort).toBe(7000);
    expect(config.sources.APP_PORT).toBe('env file');
    expect(config.server.adminPort).toBe(7200);
  });

  it('masks secrets in the settings listing', () => {
    const config = load({ SECRET_KEY: 'supersecretvalue', DATABASE_URL: 'postgres://u:pw@db:5432/x' });
    const shown = Object.fromEntries(describeSettings(config).map((s) => [s.name, s.value]));
    expect(shown.SECRET_KEY).not.toContain('supersecretvalue');
    expect(shown.DATABASE_URL).toBe('postgres://u:****@db:5432/x');
  });

  it('documents every variable in docs/configuration.md', () => {
    const doc = readFileSync(join(__dirname, '../../docs/configuration.md'), 'utf8');
    const missing = ENV_NAMES.filter((name) => !doc.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });
});
