/**
 * Carries access changes between gateways as they happen (Redis pub/sub when REDIS_URL is set).
 * Optional: without one, other gateways learn of a change by polling the access version.
 * Delivery is best effort; the poll remains the bound.
 */
export abstract class AccessChangeBus {
  /** Tells the other gateways that `bucketId`'s policy or ACLs changed. */
  abstract publish(bucketId: string): Promise<void>;
  /** Calls `listener` with the bucket id of every change another gateway publishes. */
  abstract subscribe(listener: (bucketId: string) => void): void;
}
