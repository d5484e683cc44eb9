import type { AppConfig } from '@myfsio/config';
import { pingDatabase } from '@myfsio/metadata';
import Redis from 'ioredis';
import { probeWritable } from '@myfsio/storage';

export interface ConfigIssue {
  level: 'CRITICAL' | 'WARNING';
  message: string;
}

async function storageIssue(config: AppConfig): Promise<ConfigIssue | null> {
  const problem = await probeWritable(config.storage.root);
  return problem === null
    ? null
    : { level: 'CRITICAL', message: `STORAGE_ROOT ${config.storage.root} is not writable: ${problem}` };
}

async function redisIssue(url: string): Promise<ConfigIssue | null> {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 3000,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return null;
  } catch (err) {
    return { level: 'CRITICAL', message: `REDIS_URL is unreachable: ${(err as Error).message}` };
  } finally {
    client.disconnect();
  }
}

/**
 * The deployment checks behind `--check-config`, beyond what validation at load time already
 * refuses: each issue is one line; CRITICAL ones make the command exit 1.
 */
export async function checkConfig(config: AppConfig): Promise<ConfigIssue[]> {
  const issues: ConfigIssue[] = [];
  const prod = config.server.isProduction;
  const storage = await storageIssue(config);
  if (storage) {
    issues.push(storage);
  }
  if (!config.auth.secretKey) {
    issues.push(
      prod
        ? {
            level: 'CRITICAL',
            message: 'SECRET_KEY is not set; production needs an explicit, backed-up SECRET_KEY',
          }
        : {
            level: 'WARNING',
            message: 'SECRET_KEY is not set; a generated key is persisted in the system area',
          },
    );
  }
  if (config.cors.origins.includes('*')) {
    issues.push({
      level: prod ? 'CRITICAL' : 'WARNING',
      message: 'CORS_ORIGINS=* lets any web origin call the API; list your domains instead',
    });
  }
  if (prod && config.server.apiBaseUrl.startsWith('http://')) {
    issues.push({
      level: 'WARNING',
      message: 'API_BASE_URL uses plain http; presigned URLs will not use TLS',
    });
  }
  if (config.database.url) {
    try {
      await pingDatabase({ databaseUrl: config.database.url, sqlitePath: config.database.sqlitePath });
    } catch (err) {
      issues.push({ level: 'CRITICAL', message: `DATABASE_URL is unreachable: ${(err as Error).message}` });
    }
  }
  if (config.redis.url) {
    const redis = await redisIssue(config.redis.url);
    if (redis) {
      issues.push(redis);
    }
  }
  return issues;
}
