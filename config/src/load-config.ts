import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { parse as parseDotenv } from 'dotenv';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import 'reflect-metadata';
import { AppConfig, type SettingSource } from './app-config';
import { ACCEPTED_FORMS, EnvSchema, type EnvName } from './env-schema';

/** Thrown by `loadConfig` with one line per bad variable. */
export class ConfigError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join('\n'));
    this.name = 'ConfigError';
  }
}

export interface LoadConfigOptions {
  /** Directory that relative paths and the env file are resolved against; default: process.cwd(). */
  cwd?: string;
  /** Explicit env file; default: the first of `myfsio.env`, `.env` that exists in cwd. */
  envFile?: string | false;
  /** Extra values that win over everything (CLI flags such as `--prod`). */
  overrides?: Record<string, string>;
}

/** The names of every variable the schema knows, in declaration order. */
export const ENV_NAMES: readonly EnvName[] = Object.keys(new EnvSchema())
  .concat([
    'SECRET_KEY',
    'DATABASE_URL',
    'REDIS_URL',
    'S3_DOMAIN',
    'MINIO_DOMAIN',
    'ADMIN_ACCESS_KEY',
    'ADMIN_SECRET_KEY',
  ])
  .filter((n, i, all) => all.indexOf(n) === i) as EnvName[];

function findEnvFile(cwd: string, option: string | false | undefined): string | undefined {
  if (option === false) {
    return undefined;
  }
  if (option) {
    return resolve(cwd, option);
  }
  return ['myfsio.env', '.env'].map((f) => resolve(cwd, f)).find((f) => existsSync(f));
}

const CONSTRAINT_PHRASES: [RegExp, string][] = [
  [/must be an integer number/, 'an integer'],
  [/must be a boolean value/, 'true or false'],
  [/must not be less than (\S+)/, '>= $1'],
  [/must not be greater than (\S+)/, '<= $1'],
  [/must be one of the following values: (.*)/, 'one of $1'],
  [/must match .* regular expression/, 'a well-formed value'],
  [/must be a string/, 'a string'],
];

function describe(error: ValidationError, raw: Record<string, string>): string {
  const name = error.property as EnvName;
  const phrases = Object.values(error.constraints ?? {}).map((c) => {
    const found = CONSTRAINT_PHRASES.find(([re]) => re.test(c));
    return found ? c.replace(/^.*?(must.*)$/, '$1').replace(found[0], found[1]) : c;
  });
  const form = ACCEPTED_FORMS[name] ?? phrases.join(', ');
  return `${name}=${JSON.stringify(raw[name] ?? error.value)} is not valid: expected ${form}`;
}

/**
 * Reads the environment and the env file (environment wins), validates every variable and
 * returns the frozen `AppConfig`. Throws `ConfigError` listing every bad variable.
 */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  options: LoadConfigOptions = {},
): AppConfig {
  const cwd = options.cwd ?? process.cwd();
  const envFile = findEnvFile(cwd, options.envFile);
  const fileValues = envFile && existsSync(envFile) ? parseDotenv(readFileSync(envFile)) : {};

  const raw: Record<string, string> = {};
  const sources = {} as Record<EnvName, SettingSource>;
  for (const name of ENV_NAMES) {
    const fromEnv = options.overrides?.[name] ?? env[name];
    if (fromEnv !== undefined && fromEnv !== '') {
      raw[name] = fromEnv;
      sources[name] = 'env';
    } else if (fileValues[name] !== undefined && fileValues[name] !== '') {
      raw[name] = fileValues[name];
      sources[name] = 'env file';
    } else {
      sources[name] = 'default';
    }
  }

  const schema = plainToInstance(EnvSchema, raw, { exposeDefaultValues: true });
  const errors = validateSync(schema, { whitelist: false, forbidUnknownValues: true });
  if (errors.length > 0) {
    throw new ConfigError(errors.map((e) => describe(e, raw)));
  }

  const resolvePath = (p: string) => (isAbsolute(p) ? p : resolve(cwd, p));
  return Object.freeze(
    new AppConfig(Object.freeze(schema), Object.freeze(sources), {
      storageRoot: resolvePath(schema.STORAGE_ROOT),
      logDir: resolvePath(schema.LOG_DIR),
      envFile,
      resolve: resolvePath,
    }),
  );
}
