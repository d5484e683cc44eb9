import { AppConfig } from '@myfsio/config';
import { SystemStateRepository } from '@myfsio/metadata';
import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
  Optional,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AccessChangeBus } from './access-change-bus';

/** The system_state key whose value changes with every bucket policy or ACL change. */
const VERSION_KEY = 'access.version';

/**
 * Keeps the access caches of every gateway honest. A change made here calls its listeners at
 * once, writes a new token to the database and, with Redis, publishes the change; every gateway
 * polls that token every IAM_REFRESH_INTERVAL_SECONDS and calls its listeners when it moved. So
 * a change is seen at once on the gateway that made it, at once on the others with Redis, and
 * within one interval in any case; an unchanged token costs one tiny query per interval, never
 * one per request.
 */
@Injectable()
export class AccessChanges implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('AccessChanges');
  private readonly listeners: Array<(bucketId: string | null) => void> = [];
  /** The last token seen; undefined until the first poll. */
  private known: string | null | undefined;
  private poller?: NodeJS.Timeout;

  constructor(
    private readonly config: AppConfig,
    private readonly state: SystemStateRepository,
    // Explicit token: the union type would make the emitted design type Object.
    @Optional() @Inject(AccessChangeBus) private readonly bus?: AccessChangeBus | null,
  ) {
    this.bus?.subscribe((bucketId) => this.emit(bucketId));
  }

  onModuleInit(): void {
    this.poller = setInterval(() => void this.poll(), this.config.auth.iamRefreshIntervalSeconds * 1000);
    this.poller.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.poller);
  }

  /** Registers a cache to clear: `bucketId` names the bucket that changed, null means everything. */
  onChange(listener: (bucketId: string | null) => void): void {
    this.listeners.push(listener);
  }

  /** Announces a committed change to `bucketId`'s policy or ACLs: here at once, elsewhere by the token. */
  async changed(bucketId: string): Promise<void> {
    this.emit(bucketId);
    const token = randomUUID();
    await this.state.set(null, VERSION_KEY, token);
    this.known = token;
    await this.bus?.publish(bucketId).catch((err: unknown) => {
      this.logger.warn({ err }, 'cannot publish an access change; other gateways will poll it');
    });
  }

  /** Reads the token and clears every cache when another gateway moved it. */
  async poll(): Promise<void> {
    try {
      const token = await this.state.get(VERSION_KEY);
      // The first poll clears too: what was cached before it may predate a change it cannot see.
      if (token !== this.known) {
        this.emit(null);
      }
      this.known = token;
    } catch (err) {
      this.logger.warn({ err }, 'cannot read the access version');
    }
  }

  private emit(bucketId: string | null): void {
    this.listeners.forEach((listener) => listener(bucketId));
  }
}
