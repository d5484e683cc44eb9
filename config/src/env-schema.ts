import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, ValidateIf } from 'class-validator';

/**
 * Every environment variable MyFSIO reads, with its default. Property names are the variable
 * names; `docs/configuration.md` documents each (a unit test checks that). Values arrive as
 * strings and are converted by the transforms below before validation.
 */

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off', '']);

function toBool({ value }: { value: unknown }): unknown {
  if (typeof value !== 'string') {
    return value;
  }
  const v = value.trim().toLowerCase();
  return TRUE.has(v) ? true : FALSE.has(v) ? false : value;
}

function toInt({ value }: { value: unknown }): unknown {
  if (typeof value !== 'string') {
    return value;
  }
  return /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;
}

const Bool = () => Transform(toBool);
const Int = () => Transform(toInt);
/** Accepts 0 (automatic) or a value inside [min, max]. */
const AutoOrRange = () => ValidateIf((_o, v) => v !== 0);

/** `200 per minute`, `10/second`, `1000 per 1 hour` (the spec's rate-limit strings). */
export const RATE_LIMIT_PATTERN = /^\s*\d+\s*(\/|per)\s*(\d+\s*)?(second|minute|hour|day)s?\s*$/i;
const URL_PATTERN = /^https?:\/\/[^\s/]+(\/[^\s]*)?$/i;
const DATABASE_URL_PATTERN = /^(postgres|postgresql|mysql|mariadb|sqlite):\/\/\S*$/i;
const REDIS_URL_PATTERN = /^rediss?:\/\/\S+$/i;
const STORAGE_URI_PATTERN = /^(memory:\/\/|rediss?:\/\/\S+)$/i;
const LOG_LEVELS = ['DEBUG', 'INFO', 'WARNING', 'WARN', 'ERROR', 'CRITICAL'];

export class EnvSchema {
  // --- Core
  @IsString() STORAGE_ROOT = 'data';
  @Int() @IsInt() @Min(1) MAX_UPLOAD_SIZE = 1073741824;
  @Int() @IsInt() @Min(1) @Max(1000) UI_PAGE_SIZE = 100;
  @IsOptional() @IsString() SECRET_KEY?: string;
  @Matches(URL_PATTERN) API_BASE_URL = 'http://127.0.0.1:5000';
  @Matches(/^[a-z0-9-]+$/) AWS_REGION = 'us-east-1';
  @Matches(/^[a-z0-9-]+$/) AWS_SERVICE = 's3';
  @IsString() DISPLAY_TIMEZONE = 'UTC';

  // --- Fleet (new in this implementation)
  @IsOptional() @Matches(DATABASE_URL_PATTERN) DATABASE_URL?: string;
  @IsOptional() @Matches(REDIS_URL_PATTERN) REDIS_URL?: string;
  @IsOptional() @Matches(/^[a-z0-9.-]+(:\d+)?(,[a-z0-9.-]+(:\d+)?)*$/i) S3_DOMAIN?: string;
  @IsOptional() @Matches(/^[a-z0-9.-]+(:\d+)?(,[a-z0-9.-]+(:\d+)?)*$/i) MINIO_DOMAIN?: string;

  // --- IAM & security
  @IsString() IAM_CONFIG = 'data/.myfsio.sys/config/iam.json';
  @IsString() BUCKET_POLICY_PATH = 'data/.myfsio.sys/config/bucket_policies.json';
  @Int() @IsInt() @Min(1) AUTH_MAX_ATTEMPTS = 5;
  @Int() @IsInt() @Min(1) AUTH_LOCKOUT_MINUTES = 15;
  @Int() @IsInt() @Min(1) SESSION_LIFETIME_DAYS = 30;
  @Int() @IsInt() @Min(1) SECRET_TTL_SECONDS = 300;
  @Bool() @IsBoolean() UI_ENFORCE_BUCKET_POLICIES = false;
  @IsOptional() @Matches(/^[A-Za-z0-9_.-]{3,128}$/) ADMIN_ACCESS_KEY?: string;
  @IsOptional() @Matches(/^\S{8,128}$/) ADMIN_SECRET_KEY?: string;
  @Int() @IsInt() @Min(1) IAM_REFRESH_INTERVAL_SECONDS = 5;

  // --- CORS
  @IsString() CORS_ORIGINS = '*';
  @IsString() CORS_METHODS = 'GET,PUT,POST,DELETE,OPTIONS,HEAD';
  @IsString() CORS_ALLOW_HEADERS = '*';
  @IsString() CORS_EXPOSE_HEADERS = '*';

  // --- Rate limiting
  @Matches(RATE_LIMIT_PATTERN) RATE_LIMIT_DEFAULT = '200 per minute';
  @Matches(RATE_LIMIT_PATTERN) RATE_LIMIT_LIST_BUCKETS = '60 per minute';
  @Matches(RATE_LIMIT_PATTERN) RATE_LIMIT_BUCKET_OPS = '120 per minute';
  @Matches(RATE_LIMIT_PATTERN) RATE_LIMIT_OBJECT_OPS = '240 per minute';
  @Matches(RATE_LIMIT_PATTERN) RATE_LIMIT_HEAD_OPS = '100 per minute';
  @Matches(RATE_LIMIT_PATTERN) RATE_LIMIT_ADMIN = '60 per minute';
  @Matches(STORAGE_URI_PATTERN) RATE_LIMIT_STORAGE_URI = 'memory://';

  // --- Server
  @Int() @IsInt() @AutoOrRange() @Min(1) @Max(64) SERVER_THREADS = 0;
  @Int() @IsInt() @AutoOrRange() @Min(10) @Max(1000) SERVER_CONNECTION_LIMIT = 0;
  @Int() @IsInt() @AutoOrRange() @Min(128) @Max(4096) SERVER_BACKLOG = 0;
  @Int() @IsInt() @Min(10) @Max(300) SERVER_CHANNEL_TIMEOUT = 120;
  @IsString() APP_HOST = '0.0.0.0';
  @Int() @IsInt() @Min(0) @Max(65535) APP_PORT = 5000;
  @Int() @IsInt() @Min(0) @Max(65535) UI_PORT = 5100;
  @Bool() @IsBoolean() FLASK_DEBUG = false;
  @IsIn(['development', 'production', 'test']) NODE_ENV = 'development';
  @Int() @IsInt() @Min(0) @Max(10) NUM_TRUSTED_PROXIES = 1;
  @IsString() ALLOWED_REDIRECT_HOSTS = '';
  @Bool() @IsBoolean() ALLOW_INTERNAL_ENDPOINTS = false;

  // --- Logging
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.toUpperCase() : value))
  @IsIn(LOG_LEVELS)
  LOG_LEVEL = 'INFO';
  @Bool() @IsBoolean() LOG_TO_FILE = true;
  @IsString() LOG_DIR = 'logs';
  @Matches(/^[^/\\]+$/) LOG_FILE = 'app.log';
  @Int() @IsInt() @Min(1024) LOG_MAX_BYTES = 5242880;
  @Int() @IsInt() @Min(0) @Max(100) LOG_BACKUP_COUNT = 3;

  // --- Encryption
  @Bool() @IsBoolean() ENCRYPTION_ENABLED = false;
  @IsString() ENCRYPTION_MASTER_KEY_PATH = 'data/.myfsio.sys/keys/master.key';
  @IsIn(['AES256', 'aws:kms']) DEFAULT_ENCRYPTION_ALGORITHM = 'AES256';
  @Bool() @IsBoolean() KMS_ENABLED = false;
  @IsString() KMS_KEYS_PATH = 'data/.myfsio.sys/keys/kms_keys.json';

  // --- Lifecycle, GC, integrity
  @Bool() @IsBoolean() LIFECYCLE_ENABLED = false;
  @Int() @IsInt() @Min(1) LIFECYCLE_INTERVAL_SECONDS = 3600;
  @Int() @IsInt() @Min(1) LIFECYCLE_DAY_SECONDS = 86400;
  @Bool() @IsBoolean() GC_ENABLED = false;
  @Int() @IsInt() @Min(1) GC_INTERVAL_HOURS = 6;
  @Int() @IsInt() @Min(0) GC_TEMP_FILE_MAX_AGE_HOURS = 24;
  @Int() @IsInt() @Min(0) GC_MULTIPART_MAX_AGE_DAYS = 7;
  @Int() @IsInt() @Min(0) GC_LOCK_FILE_MAX_AGE_HOURS = 1;
  @Bool() @IsBoolean() GC_DRY_RUN = false;
  @Bool() @IsBoolean() INTEGRITY_ENABLED = false;
  @Int() @IsInt() @Min(1) INTEGRITY_INTERVAL_HOURS = 24;
  @Int() @IsInt() @Min(1) INTEGRITY_BATCH_SIZE = 1000;
  @Bool() @IsBoolean() INTEGRITY_AUTO_HEAL = false;
  @Bool() @IsBoolean() INTEGRITY_DRY_RUN = false;

  // --- Performance tuning
  @Int() @IsInt() @Min(4096) STREAM_CHUNK_SIZE = 65536;
  @Int() @IsInt() @Min(1) MULTIPART_MIN_PART_SIZE = 5242880;
  @Int() @IsInt() @Min(0) BUCKET_STATS_CACHE_TTL = 60;
  @Int() @IsInt() @Min(1) @Max(100000) BULK_DELETE_MAX_KEYS = 500;
  @Int() @IsInt() @Min(1) BULK_DOWNLOAD_MAX_BYTES = 1073741824;
  @Int() @IsInt() @Min(0) OBJECT_CACHE_TTL = 60;
  @Int() @IsInt() @Min(1) @Max(1000) OBJECT_TAG_LIMIT = 50;

  // --- Metrics, site sync, website
  @Bool() @IsBoolean() OPERATION_METRICS_ENABLED = false;
  @Int() @IsInt() @Min(1) OPERATION_METRICS_INTERVAL_MINUTES = 5;
  @Int() @IsInt() @Min(1) OPERATION_METRICS_RETENTION_HOURS = 24;
  @Bool() @IsBoolean() SITE_SYNC_ENABLED = false;
  @Int() @IsInt() @Min(1) SITE_SYNC_INTERVAL_SECONDS = 60;
  @Int() @IsInt() @Min(1) SITE_SYNC_BATCH_SIZE = 100;
  @Bool() @IsBoolean() WEBSITE_HOSTING_ENABLED = false;
}

export type EnvName = keyof EnvSchema;

/** Variables whose values are masked by `--show-config` and never logged. */
export const SECRET_ENV_NAMES: ReadonlySet<string> = new Set<EnvName>([
  'SECRET_KEY',
  'ADMIN_SECRET_KEY',
  'DATABASE_URL',
  'REDIS_URL',
  'RATE_LIMIT_STORAGE_URI',
]);

/** Human-readable accepted form per kind of variable, used in one-line error messages. */
export const ACCEPTED_FORMS: Partial<Record<EnvName, string>> = {
  API_BASE_URL: 'an http(s) URL such as http://127.0.0.1:5000',
  DATABASE_URL: 'postgres://user:pass@host:5432/db, mysql://user:pass@host:3306/db or mariadb://…',
  REDIS_URL: 'redis://host:6379 or rediss://…',
  S3_DOMAIN: 'comma-separated domain names, e.g. s3.example.com,localhost',
  MINIO_DOMAIN: 'comma-separated domain names, e.g. s3.example.com',
  RATE_LIMIT_STORAGE_URI: 'memory:// or redis://host:port',
  LOG_LEVEL: 'one of DEBUG, INFO, WARNING, ERROR, CRITICAL',
  SERVER_THREADS: '0 (auto) or an integer 1..64',
  SERVER_CONNECTION_LIMIT: '0 (auto) or an integer 10..1000',
  SERVER_BACKLOG: '0 (auto) or an integer 128..4096',
  SERVER_CHANNEL_TIMEOUT: 'an integer 10..300 (seconds)',
  AWS_REGION: 'a region name such as us-east-1',
  ADMIN_ACCESS_KEY: '3..128 characters of A-Z a-z 0-9 _ . -',
  ADMIN_SECRET_KEY: '8..128 non-space characters',
  LOG_FILE: 'a file name without directory separators',
  DEFAULT_ENCRYPTION_ALGORITHM: 'AES256 or aws:kms',
  NODE_ENV: 'development, production or test',
};
