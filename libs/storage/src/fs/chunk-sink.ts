import type { Hasher } from '@myfsio/common';
import { toStorageError } from '../storage-error';
import { writeFullyFd } from './fd-io';

/**
 * Writes a stream of chunks to a file in large writes, hashing each written block
 * once per hasher. Small network chunks are copied into a block of `blockSize`
 * bytes; a chunk at least that large goes to disk as it is. One write is in flight
 * while the next block fills (two blocks at most), so memory stays bounded and disk
 * and network overlap.
 */
export class ChunkSink {
  private block: Buffer | null = null;
  private spare: Buffer | null = null;
  /** The block the in-flight write reads from; reusable once that write settles. */
  private busy: Buffer | null = null;
  private filled = 0;
  private inFlight: Promise<void> | null = null;
  private failure: { error: unknown } | null = null;

  constructor(
    /** The open file's descriptor; the caller closes it. */
    private readonly fd: number,
    private readonly blockSize: number,
    private readonly hashers: readonly Hasher[],
    /** Where the first byte goes in the file. */
    private position = 0,
  ) {}

  async push(chunk: Uint8Array): Promise<void> {
    if (this.filled === 0 && chunk.length >= this.blockSize) {
      await this.emit(chunk, null);
      return;
    }
    let offset = 0;
    while (offset < chunk.length) {
      if (this.block === null) {
        this.block = this.spare ?? Buffer.allocUnsafe(this.blockSize);
        this.spare = null;
      }
      const block = this.block;
      const count = Math.min(block.length - this.filled, chunk.length - offset);
      block.set(chunk.subarray(offset, offset + count), this.filled);
      this.filled += count;
      offset += count;
      if (this.filled === block.length) {
        await this.flushBlock();
      }
    }
  }

  /** Writes what is buffered and waits for every write. */
  async finish(): Promise<void> {
    if (this.filled > 0) {
      await this.flushBlock();
    }
    await this.settle();
  }

  /** Waits for the write in flight, ignoring its outcome, so the file can be closed and removed. */
  async abandon(): Promise<void> {
    await this.inFlight;
    this.inFlight = null;
  }

  private async flushBlock(): Promise<void> {
    const block = this.block;
    if (block === null) {
      return;
    }
    const data = block.subarray(0, this.filled);
    this.block = null;
    this.filled = 0;
    await this.emit(data, block);
  }

  /** Hashes `data` and starts writing it once the previous write is done; `owner` is its reusable block. */
  private async emit(data: Uint8Array, owner: Buffer | null): Promise<void> {
    for (const hasher of this.hashers) {
      hasher.update(data);
    }
    await this.settle();
    this.spare ??= this.busy;
    this.busy = owner;
    const position = this.position;
    this.position += data.length;
    this.inFlight = writeFullyFd(this.fd, data, position).catch((error: unknown) => {
      this.failure = { error };
    });
  }

  private async settle(): Promise<void> {
    if (this.inFlight !== null) {
      await this.inFlight;
      this.inFlight = null;
    }
    if (this.failure !== null) {
      throw toStorageError(this.failure.error, 'writing a staged object');
    }
  }
}
