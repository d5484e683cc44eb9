import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningServer } from '../server';
import { runClient, type ClientResult } from './run-client';

export const S3CMD = '/usr/bin/s3cmd';

/** Runs `s3cmd -c <config> <args>`. */
export type S3cmd = (args: string[], timeoutMs?: number) => Promise<ClientResult>;

/**
 * An s3cmd bound to `server` through a config file in the server's working directory. `host_bucket`
 * without `%(bucket)s` makes s3cmd use path-style URLs; `signatureV2` picks AWS Signature V2 instead of
 * V4; `secretAccessKey` overrides the admin secret (to test a wrong one). Retries are off so a failure
 * shows the server's first answer.
 */
export function s3cmd(
  server: RunningServer,
  options: { signatureV2: boolean; secretAccessKey?: string },
): S3cmd {
  const dir = mkdtempSync(join(server.dir, 's3cmd-'));
  const config = join(dir, 's3cfg');
  const host = `127.0.0.1:${server.apiPort}`;
  writeFileSync(
    config,
    [
      '[default]',
      `access_key = ${server.accessKeyId}`,
      `secret_key = ${options.secretAccessKey ?? server.secretAccessKey}`,
      `host_base = ${host}`,
      `host_bucket = ${host}`,
      'use_https = False',
      `signature_v2 = ${options.signatureV2 ? 'True' : 'False'}`,
      'bucket_location = us-east-1',
      'max_retries = 1',
      'progress_meter = False',
      '',
    ].join('\n'),
  );
  return (args, timeoutMs = 30_000) => runClient(S3CMD, ['-c', config, ...args], { timeoutMs });
}
