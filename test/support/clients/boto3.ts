import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningServer } from '../server';
import { expectOk, runClient, type ClientResult } from './run-client';

/** Debian's Python, which has python3-boto3; the python3 first on PATH may lack Debian's modules. */
export const PYTHON = '/usr/bin/python3';

/**
 * Prepended to every script: a path-style, SigV4, single-attempt boto3 client named `s3` for the
 * endpoint in MYFSIO_ENDPOINT (credentials come from the standard AWS_* variables), the case's
 * arguments as `args` (JSON in argv[1]), and `out(value)` to print the result as JSON.
 */
const PRELUDE = `
import base64, hashlib, json, os, sys
import boto3
from botocore.config import Config
from botocore.exceptions import ClientError
s3 = boto3.client(
    "s3",
    endpoint_url=os.environ["MYFSIO_ENDPOINT"],
    region_name="us-east-1",
    config=Config(signature_version="s3v4", s3={"addressing_style": "path"}, retries={"max_attempts": 1, "mode": "standard"}),
)
args = json.loads(sys.argv[1])
def out(value):
    print(json.dumps(value, default=str, ensure_ascii=False))
`;

/** Runs one Python snippet (after the prelude) with `args`, resolving with the client result. */
export type Boto3 = (
  script: string,
  args?: Record<string, unknown>,
  timeoutMs?: number,
) => Promise<ClientResult>;

/**
 * A boto3 runner bound to `server`: each call is a fresh `python3 -c` process whose script is passed as
 * an argument (never through a shell) and whose AWS config files are empty files, so no profile on the
 * machine applies.
 */
export function boto3(server: RunningServer): Boto3 {
  const dir = mkdtempSync(join(server.dir, 'boto3-'));
  const empty = join(dir, 'empty');
  writeFileSync(empty, '');
  const env = {
    MYFSIO_ENDPOINT: server.apiUrl,
    AWS_ACCESS_KEY_ID: server.accessKeyId,
    AWS_SECRET_ACCESS_KEY: server.secretAccessKey,
    AWS_CONFIG_FILE: empty,
    AWS_SHARED_CREDENTIALS_FILE: empty,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  return (script, args = {}, timeoutMs = 30_000) =>
    runClient(PYTHON, ['-c', `${PRELUDE}\n${script}`, JSON.stringify(args)], { env, timeoutMs });
}

/** Runs a script that must succeed and parses the one JSON value it printed with `out()`. */
export async function boto3Json<T>(run: Boto3, script: string, args?: Record<string, unknown>): Promise<T> {
  const res = expectOk(await run(script, args));
  return JSON.parse(res.stdout) as T;
}
