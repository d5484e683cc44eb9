import { Injectable } from '@nestjs/common';

/**
 * Tells other gateways that IAM changed so they drop their credential caches at once. The
 * database version poll bounds staleness anyway; this port only makes it immediate. The default
 * binding does nothing (one process); `libs/core` binds a Redis pub/sub adapter when REDIS_URL is set.
 */
@Injectable()
export class IamChangeBus {
  /** Announces a committed IAM change to the other processes; never throws. */
  publish(): void {}

  /** Registers `listener`, called when another process announces a change. */
  subscribe(_listener: () => void): void {}
}
