import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../support/server';

const version = (
  JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as { version: string }
).version;

describe('myfsio CLI', () => {
  it('prints its version', () => {
    const r = runCli(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(`MyFSIO ${version}`);
  });

  it('prints help listing every flag', () => {
    const r = runCli(['--help']);
    expect(r.status).toBe(0);
    for (const flag of ['--mode', '--show-config', '--check-config', '--reset-cred', '--version']) {
      expect(r.stdout).toContain(flag);
    }
  });

  it('refuses an unknown flag with one line and exit code 1', () => {
    const r = runCli(['--frobnicate']);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('frobnicate');
  });

  it('refuses a bad --mode', () => {
    const r = runCli(['--mode', 'both']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('--mode');
  });

  it('stops at start-up on a bad value, naming the variable, the value and the accepted form', () => {
    const r = runCli([], { APP_PORT: 'eighty' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/APP_PORT="eighty" is not valid: expected .*integer/);
  });

  it('shows every setting with its source and masks secrets', () => {
    const dir = mkdtempSync(join(tmpdir(), 'myfsio-cli-'));
    writeFileSync(join(dir, 'myfsio.env'), 'UI_PORT=5999\n');
    const r = runCli(['--show-config'], { SECRET_KEY: 'do-not-print-me-please', APP_PORT: '5998' }, dir);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain('do-not-print-me-please');
    expect(r.stdout).toMatch(/^SECRET_KEY=do…\(22 chars\) {2}\[env\]$/m);
    expect(r.stdout).toMatch(/^APP_PORT=5998 {2}\[env\]$/m);
    expect(r.stdout).toMatch(/^UI_PORT=5999 {2}\[env file \(.*myfsio\.env\)\]$/m);
    expect(r.stdout).toMatch(/^BULK_DELETE_MAX_KEYS=500 {2}\[default\]$/m);
  });

  describe('--check-config', () => {
    it('passes a development default configuration with warnings only', () => {
      const r = runCli(['--check-config']);
      expect(r.stdout).toContain('WARNING: SECRET_KEY is not set');
      expect(r.status).toBe(0);
    });

    it('fails in production without SECRET_KEY and with CORS_ORIGINS=*', () => {
      const r = runCli(['--check-config', '--prod']);
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(/^CRITICAL: SECRET_KEY/m);
      expect(r.stdout).toMatch(/^CRITICAL: CORS_ORIGINS=\*/m);
    });

    it('fails on an unwritable STORAGE_ROOT', () => {
      const r = runCli(['--check-config'], { STORAGE_ROOT: '/proc/myfsio-cannot-write-here' });
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(/^CRITICAL: STORAGE_ROOT .* is not writable/m);
    });

    it('fails on an unreachable DATABASE_URL and REDIS_URL', () => {
      const r = runCli(['--check-config'], {
        DATABASE_URL: 'postgres://postgres@127.0.0.1:1/test',
        REDIS_URL: 'redis://127.0.0.1:1',
      });
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(/^CRITICAL: DATABASE_URL is unreachable/m);
      expect(r.stdout).toMatch(/^CRITICAL: REDIS_URL is unreachable/m);
    });

    it('reports a malformed number as a critical line', () => {
      const r = runCli(['--check-config'], { MAX_UPLOAD_SIZE: '1GB' });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('MAX_UPLOAD_SIZE="1GB"');
    });
  });
});
