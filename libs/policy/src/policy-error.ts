/**
 * A policy document was refused. `reason` is a short, client-safe sentence (the gateway sends it
 * as the message of S3's `MalformedPolicy`, the admin API as a 400).
 */
export class PolicyError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'PolicyError';
  }
}
