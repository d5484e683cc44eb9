import { AppConfig } from '@myfsio/config';
import { MetadataHealth } from '@myfsio/metadata';
import { probeWritable } from '@myfsio/storage';
import { Injectable } from '@nestjs/common';
import { HealthCheckService, HealthIndicatorService, type HealthCheckResult } from '@nestjs/terminus';
import { RedisConnection } from './redis-connection';

/** Readiness of this process: the database answers, STORAGE_ROOT is writable, Redis (when configured) answers. */
@Injectable()
export class ReadinessService {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly config: AppConfig,
    private readonly metadata: MetadataHealth,
    private readonly redis: RedisConnection,
  ) {}

  check(): Promise<HealthCheckResult> {
    return this.health.check([() => this.database(), () => this.storage(), () => this.redisCheck()]);
  }

  private async database() {
    const session = this.indicators.check('database');
    try {
      await this.metadata.ping();
      return session.up();
    } catch (err) {
      return session.down({ message: (err as Error).message });
    }
  }

  private async storage() {
    const session = this.indicators.check('storage');
    const problem = await probeWritable(this.config.storage.root);
    return problem === null ? session.up() : session.down({ message: problem });
  }

  private async redisCheck() {
    const session = this.indicators.check('redis');
    if (!this.redis.client) {
      return session.up({ configured: false });
    }
    try {
      await this.redis.client.ping();
      return session.up();
    } catch (err) {
      return session.down({ message: (err as Error).message });
    }
  }
}
