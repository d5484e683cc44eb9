import { unlink } from 'node:fs/promises';
import { succeeds } from './fs-helpers';

/** Moves a temp file into place; `onPlaced` must run right after the rename. */
export type PlaceFile = (tempPath: string, onPlaced: () => void) => Promise<void>;

/**
 * A fsynced temp file waiting to be published: published at most once, or discarded
 * (idempotent). While it waits, its path stays in `live`, the staging area's set of temp
 * files in use, so reclaimTemp() never removes it.
 */
export class PendingFile {
  private state: 'staged' | 'publishing' | 'published' | 'discarded' = 'staged';

  constructor(
    private readonly tempPath: string,
    private readonly live: Set<string>,
  ) {
    live.add(tempPath);
  }

  /** Runs `place`; on failure the file stays staged, so discard() still removes it. */
  async publish(place: PlaceFile): Promise<void> {
    if (this.state !== 'staged') {
      throw new Error(`publish() on a pending file that is ${this.state}`);
    }
    this.state = 'publishing';
    try {
      await place(this.tempPath, () => {
        this.state = 'published';
        this.live.delete(this.tempPath);
      });
    } finally {
      if (this.state === 'publishing') {
        this.state = 'staged';
      }
    }
  }

  /** Never throws: a temp file it fails to remove is reclaimed later by reclaimTemp(). */
  async discard(): Promise<void> {
    if (this.state !== 'staged') {
      return;
    }
    this.state = 'discarded';
    await succeeds(unlink(this.tempPath), 'ENOENT').catch(() => undefined);
    this.live.delete(this.tempPath);
  }
}
