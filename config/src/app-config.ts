import type { EnvName, EnvSchema } from './env-schema';

export type SettingSource = 'default' | 'env' | 'env file';

function list(value: string): string[] {
  return value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/**
 * The one validated, frozen configuration object. Built by `loadConfig`, injected by class
 * token (`constructor(private readonly config: AppConfig)`); nothing else reads the environment.
 */
export class AppConfig {
  readonly server;
  readonly storage;
  readonly s3;
  readonly database;
  readonly redis;
  readonly auth;
  readonly cors;
  readonly rateLimit;
  readonly log;
  readonly encryption;
  readonly lifecycle;
  readonly gc;
  readonly integrity;
  readonly metrics;
  readonly siteSync;
  readonly website;
  readonly ui;

  constructor(
    /** The validated variables, by their environment names. */
    readonly env: Readonly<EnvSchema>,
    /** Where each variable's value came from. */
    readonly sources: Readonly<Record<EnvName, SettingSource>>,
    paths: { storageRoot: string; logDir: string; envFile?: string; resolve: (p: string) => string },
  ) {
    const systemDir = `${paths.storageRoot}/.myfsio.sys`;
    const fromSystem = (name: EnvName, defaultRelative: string) =>
      sources[name] === 'default' ? `${systemDir}/${defaultRelative}` : paths.resolve(String(env[name]));
    this.server = {
      host: env.APP_HOST,
      apiPort: env.APP_PORT,
      adminPort: env.UI_PORT,
      apiBaseUrl: env.API_BASE_URL.replace(/\/+$/, ''),
      isProduction: env.NODE_ENV === 'production',
      debug: env.FLASK_DEBUG,
      threads: env.SERVER_THREADS,
      connectionLimit: env.SERVER_CONNECTION_LIMIT,
      backlog: env.SERVER_BACKLOG,
      channelTimeoutSeconds: env.SERVER_CHANNEL_TIMEOUT,
      trustedProxies: env.NUM_TRUSTED_PROXIES,
      allowedRedirectHosts: list(env.ALLOWED_REDIRECT_HOSTS),
      allowInternalEndpoints: env.ALLOW_INTERNAL_ENDPOINTS,
      envFile: paths.envFile,
    } as const;
    this.storage = {
      root: paths.storageRoot,
      systemDir,
      maxUploadSize: env.MAX_UPLOAD_SIZE,
      streamChunkSize: env.STREAM_CHUNK_SIZE,
      multipartMinPartSize: env.MULTIPART_MIN_PART_SIZE,
      bulkDeleteMaxKeys: env.BULK_DELETE_MAX_KEYS,
      bulkDownloadMaxBytes: env.BULK_DOWNLOAD_MAX_BYTES,
      objectTagLimit: env.OBJECT_TAG_LIMIT,
      objectCacheTtlSeconds: env.OBJECT_CACHE_TTL,
      bucketStatsCacheTtlSeconds: env.BUCKET_STATS_CACHE_TTL,
    } as const;
    this.s3 = {
      region: env.AWS_REGION,
      service: env.AWS_SERVICE,
      domains: list(env.S3_DOMAIN ?? env.MINIO_DOMAIN ?? '').map((d) => d.toLowerCase()),
    } as const;
    this.database = { url: env.DATABASE_URL, sqlitePath: `${systemDir}/meta.db` } as const;
    this.redis = { url: env.REDIS_URL } as const;
    this.auth = {
      secretKey: env.SECRET_KEY,
      secretKeyPath: `${systemDir}/config/.secret`,
      maxAttempts: env.AUTH_MAX_ATTEMPTS,
      lockoutMinutes: env.AUTH_LOCKOUT_MINUTES,
      sessionLifetimeDays: env.SESSION_LIFETIME_DAYS,
      secretTtlSeconds: env.SECRET_TTL_SECONDS,
      adminAccessKey: env.ADMIN_ACCESS_KEY,
      adminSecretKey: env.ADMIN_SECRET_KEY,
      iamConfigPath: fromSystem('IAM_CONFIG', 'config/iam.json'),
      bucketPolicyPath: fromSystem('BUCKET_POLICY_PATH', 'config/bucket_policies.json'),
      uiEnforceBucketPolicies: env.UI_ENFORCE_BUCKET_POLICIES,
      iamRefreshIntervalSeconds: env.IAM_REFRESH_INTERVAL_SECONDS,
    } as const;
    this.cors = {
      origins: list(env.CORS_ORIGINS),
      methods: list(env.CORS_METHODS),
      allowHeaders: list(env.CORS_ALLOW_HEADERS),
      exposeHeaders: list(env.CORS_EXPOSE_HEADERS),
    } as const;
    this.rateLimit = {
      default: env.RATE_LIMIT_DEFAULT,
      listBuckets: env.RATE_LIMIT_LIST_BUCKETS,
      bucketOps: env.RATE_LIMIT_BUCKET_OPS,
      objectOps: env.RATE_LIMIT_OBJECT_OPS,
      headOps: env.RATE_LIMIT_HEAD_OPS,
      admin: env.RATE_LIMIT_ADMIN,
      storageUri: env.RATE_LIMIT_STORAGE_URI,
    } as const;
    const level = env.FLASK_DEBUG ? 'DEBUG' : env.LOG_LEVEL;
    this.log = {
      level: level === 'WARNING' ? 'WARN' : level,
      toFile: env.LOG_TO_FILE,
      dir: paths.logDir,
      file: env.LOG_FILE,
      maxBytes: env.LOG_MAX_BYTES,
      backupCount: env.LOG_BACKUP_COUNT,
    } as const;
    this.encryption = {
      enabled: env.ENCRYPTION_ENABLED,
      masterKeyPath: fromSystem('ENCRYPTION_MASTER_KEY_PATH', 'keys/master.key'),
      defaultAlgorithm: env.DEFAULT_ENCRYPTION_ALGORITHM,
      kmsEnabled: env.KMS_ENABLED,
      kmsKeysPath: fromSystem('KMS_KEYS_PATH', 'keys/kms_keys.json'),
    } as const;
    this.lifecycle = {
      enabled: env.LIFECYCLE_ENABLED,
      intervalSeconds: env.LIFECYCLE_INTERVAL_SECONDS,
      daySeconds: env.LIFECYCLE_DAY_SECONDS,
    } as const;
    this.gc = {
      enabled: env.GC_ENABLED,
      intervalHours: env.GC_INTERVAL_HOURS,
      tempFileMaxAgeHours: env.GC_TEMP_FILE_MAX_AGE_HOURS,
      multipartMaxAgeDays: env.GC_MULTIPART_MAX_AGE_DAYS,
      lockFileMaxAgeHours: env.GC_LOCK_FILE_MAX_AGE_HOURS,
      dryRun: env.GC_DRY_RUN,
    } as const;
    this.integrity = {
      enabled: env.INTEGRITY_ENABLED,
      intervalHours: env.INTEGRITY_INTERVAL_HOURS,
      batchSize: env.INTEGRITY_BATCH_SIZE,
      autoHeal: env.INTEGRITY_AUTO_HEAL,
      dryRun: env.INTEGRITY_DRY_RUN,
    } as const;
    this.metrics = {
      enabled: env.OPERATION_METRICS_ENABLED,
      intervalMinutes: env.OPERATION_METRICS_INTERVAL_MINUTES,
      retentionHours: env.OPERATION_METRICS_RETENTION_HOURS,
    } as const;
    this.siteSync = {
      enabled: env.SITE_SYNC_ENABLED,
      intervalSeconds: env.SITE_SYNC_INTERVAL_SECONDS,
      batchSize: env.SITE_SYNC_BATCH_SIZE,
    } as const;
    this.website = { enabled: env.WEBSITE_HOSTING_ENABLED } as const;
    this.ui = { pageSize: env.UI_PAGE_SIZE, displayTimezone: env.DISPLAY_TIMEZONE } as const;
  }
}
