import { IamChangeBus } from '@myfsio/iam';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { RedisConnection } from './redis-connection';

/** The pub/sub channel of IAM change announcements. */
export const IAM_CHANGE_CHANNEL = 'myfsio:iam:changed';

/**
 * IAM cache invalidation across gateways through Redis pub/sub (when REDIS_URL is set; without
 * Redis it does nothing and the version poll alone bounds staleness). Each process ignores its
 * own announcements, having already dropped its cache.
 */
@Injectable()
export class RedisIamChangeBus extends IamChangeBus implements OnApplicationShutdown {
  private readonly logger = new Logger('IAM');
  private readonly processId = randomUUID();
  private subscriber: Redis | null = null;

  constructor(private readonly redis: RedisConnection) {
    super();
  }

  override publish(): void {
    this.redis.client
      ?.publish(IAM_CHANGE_CHANNEL, this.processId)
      .catch((err: unknown) => this.logger.warn({ err }, 'cannot publish an IAM change'));
  }

  override subscribe(listener: () => void): void {
    if (!this.redis.client || this.subscriber) {
      return;
    }
    // A subscribed connection can do nothing else, so it is a second one.
    const subscriber = this.redis.client.duplicate();
    this.subscriber = subscriber;
    subscriber.on('error', () => undefined);
    subscriber.on('message', (channel: string, from: string) => {
      if (channel === IAM_CHANGE_CHANNEL && from !== this.processId) {
        listener();
      }
    });
    subscriber
      .subscribe(IAM_CHANGE_CHANNEL)
      .catch((err: unknown) => this.logger.warn({ err }, 'cannot subscribe to IAM changes'));
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.subscriber) {
      await this.subscriber.quit().catch(() => this.subscriber?.disconnect());
    }
  }
}
