import { AccessChangeBus } from '@myfsio/access';
import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';

/** The channel access changes travel on; the message is the changed bucket's id. */
export const ACCESS_CHANGES_CHANNEL = 'myfsio:access-changes';

/**
 * AccessChangeBus over Redis pub/sub. Publishing uses the shared connection; subscribing needs a
 * connection of its own (a subscribed Redis connection can do nothing else), opened on first use.
 */
export class RedisAccessChangeBus extends AccessChangeBus implements OnApplicationShutdown {
  private readonly logger = new Logger('AccessChangeBus');
  private subscriber?: Redis;

  constructor(private readonly client: Redis) {
    super();
  }

  async publish(bucketId: string): Promise<void> {
    await this.client.publish(ACCESS_CHANGES_CHANNEL, bucketId);
  }

  subscribe(listener: (bucketId: string) => void): void {
    this.subscriber ??= this.client.duplicate();
    this.subscriber.on('error', () => undefined);
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel === ACCESS_CHANGES_CHANNEL) {
        listener(message);
      }
    });
    this.subscriber.subscribe(ACCESS_CHANGES_CHANNEL).catch((err: unknown) => {
      this.logger.warn({ err }, 'cannot subscribe to access changes; relying on the poll');
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }
}
