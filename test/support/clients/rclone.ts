import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningServer } from '../server';
import { runClient, type ClientResult } from './run-client';

export const RCLONE = '/usr/bin/rclone';

/** The remote name the generated config defines. */
export const RCLONE_REMOTE = 'myfsio';

/** Runs `rclone <args>` with the generated config; paths name the remote as `myfsio:bucket/key`. */
export type Rclone = (args: string[], timeoutMs?: number) => Promise<ClientResult>;

/**
 * An rclone bound to `server` through a config file in the server's working directory. The upload
 * cutoff is raised so every small file is one PutObject (no multipart), and retries are off so a
 * failure shows the server's first answer. AWS_CA_BUNDLE is never passed: rclone refuses to start
 * when it names a file it cannot use, and the endpoint is plain HTTP anyway.
 */
export function rclone(server: RunningServer): Rclone {
  const dir = mkdtempSync(join(server.dir, 'rclone-'));
  const config = join(dir, 'rclone.conf');
  writeFileSync(
    config,
    [
      `[${RCLONE_REMOTE}]`,
      'type = s3',
      'provider = Other',
      `access_key_id = ${server.accessKeyId}`,
      `secret_access_key = ${server.secretAccessKey}`,
      `endpoint = ${server.apiUrl}`,
      'region = us-east-1',
      'force_path_style = true',
      '',
    ].join('\n'),
  );
  const common = [
    '--config',
    config,
    '--s3-upload-cutoff',
    '200M',
    '--retries',
    '1',
    '--low-level-retries',
    '1',
    '--cache-dir',
    join(dir, 'cache'),
  ];
  return (args, timeoutMs = 30_000) => runClient(RCLONE, [...common, ...args], { timeoutMs });
}

/**
 * The same remote defined only through RCLONE_CONFIG_<NAME>_* variables (no config file), named
 * `envremote:`; rclone's documented alternative for scripted use.
 */
export function rcloneFromEnv(server: RunningServer): Rclone {
  const env = {
    RCLONE_CONFIG_ENVREMOTE_TYPE: 's3',
    RCLONE_CONFIG_ENVREMOTE_PROVIDER: 'Other',
    RCLONE_CONFIG_ENVREMOTE_ACCESS_KEY_ID: server.accessKeyId,
    RCLONE_CONFIG_ENVREMOTE_SECRET_ACCESS_KEY: server.secretAccessKey,
    RCLONE_CONFIG_ENVREMOTE_ENDPOINT: server.apiUrl,
    RCLONE_CONFIG_ENVREMOTE_REGION: 'us-east-1',
    RCLONE_CONFIG_ENVREMOTE_FORCE_PATH_STYLE: 'true',
    // An empty config file keeps a developer's ~/.config/rclone out of the run.
    RCLONE_CONFIG: '/dev/null',
  };
  return (args, timeoutMs = 30_000) =>
    runClient(RCLONE, ['--retries', '1', '--low-level-retries', '1', ...args], { env, timeoutMs });
}
