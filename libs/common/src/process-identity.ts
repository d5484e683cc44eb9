import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/** Which process left a record (a lock file, a journal entry) that others may have to take over. */
export interface ProcessIdentity {
  host: string;
  pid: number;
  /** Random per process start: tells a restarted process from its predecessor with the same pid. */
  incarnation: string;
}

/** This process. */
export const THIS_PROCESS: ProcessIdentity = Object.freeze({
  host: hostname(),
  pid: process.pid,
  incarnation: randomUUID(),
});

/**
 * True when `other` is certainly no longer running: it ran on this host and either its pid
 * is ours (a container restarted gives its process the same pid, so that process is our
 * predecessor) or no process has its pid any more. A process on another host, or a pid now
 * used by some other process, is not known to be dead: callers then wait for the record to
 * go stale.
 */
export function isDeadSibling(other: ProcessIdentity, self: ProcessIdentity = THIS_PROCESS): boolean {
  if (other.host !== self.host) {
    return false;
  }
  if (other.pid === self.pid) {
    return other.incarnation !== self.incarnation;
  }
  return !isRunning(other.pid);
}

function isRunning(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) {
    return false;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
