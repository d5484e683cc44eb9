import { AppConfig } from '@myfsio/config';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';

/**
 * The process's Redis connection when `REDIS_URL` is set (queues, cache invalidation, rate
 * limits); `client` is null on a single machine without Redis.
 */
@Injectable()
export class RedisConnection implements OnApplicationShutdown {
  readonly client: Redis | null;

  constructor(config: AppConfig) {
    this.client = config.redis.url
      ? new Redis(config.redis.url, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true })
      : null;
    // Connection errors surface through readiness; without a listener ioredis would log them raw.
    this.client?.on('error', () => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.client) {
      await this.client.quit().catch(() => this.client?.disconnect());
    }
  }
}
