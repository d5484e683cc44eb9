import { randomBytes } from 'node:crypto';

const prefix = randomBytes(4).toString('hex').toUpperCase();
let counter = 0;

/** A unique, cheap request id: a per-process random prefix and a counter (16 hex chars). */
export function nextRequestId(): string {
  counter = (counter + 1) % 0x100000000;
  return prefix + counter.toString(16).toUpperCase().padStart(8, '0');
}
