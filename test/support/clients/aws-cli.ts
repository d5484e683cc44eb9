import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningServer } from '../server';
import { runClient, type ClientResult } from './run-client';

/** Debian's AWS CLI v2; the `aws` first on PATH may be another install with other defaults. */
export const AWS_CLI = '/usr/bin/aws';

/** Runs `aws <args> --endpoint-url <apiUrl>` against a server. */
export type AwsCli = (args: string[], timeoutMs?: number) => Promise<ClientResult>;

/**
 * An AWS CLI bound to `server` with its admin credentials. The config and credentials files point at
 * empty files (inside the server's working directory, removed by `cleanup`) so no profile on the
 * machine changes signing, region or retries.
 */
export function awsCli(server: RunningServer): AwsCli {
  const dir = mkdtempSync(join(server.dir, 'awscli-'));
  const config = join(dir, 'config');
  const credentials = join(dir, 'credentials');
  writeFileSync(config, '');
  writeFileSync(credentials, '');
  const env = {
    AWS_ACCESS_KEY_ID: server.accessKeyId,
    AWS_SECRET_ACCESS_KEY: server.secretAccessKey,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: config,
    AWS_SHARED_CREDENTIALS_FILE: credentials,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
    // One attempt: a retried failure would hide the server's first answer and slow the suite.
    AWS_MAX_ATTEMPTS: '1',
    AWS_RETRY_MODE: 'standard',
  };
  return (args, timeoutMs = 30_000) =>
    runClient(AWS_CLI, [...args, '--endpoint-url', server.apiUrl], { env, timeoutMs });
}

/**
 * Parses the JSON that `aws s3api …` prints (with the default `--output json`). The CLI prints nothing
 * at all for a response with no output fields (an empty paginated listing, a quiet delete), which
 * parses as `{}`.
 */
export function parseJson<T = Record<string, unknown>>(r: ClientResult): T {
  return (r.stdout.trim() === '' ? {} : JSON.parse(r.stdout)) as T;
}

/**
 * The argument list of `aws s3api <operation> …` from named options: `{ bucket: 'b', copySource: 'x',
 * noPaginate: true }` becomes `s3api <operation> --bucket b --copy-source x --no-paginate`, followed by
 * `positional` (get-object's outfile).
 */
export function s3apiArgs(
  operation: string,
  options: Record<string, string | true>,
  ...positional: string[]
): string[] {
  const args = ['s3api', operation];
  for (const [name, value] of Object.entries(options)) {
    args.push(`--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
    if (value !== true) {
      args.push(value);
    }
  }
  return [...args, ...positional];
}
