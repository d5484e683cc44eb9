import * as fs from 'node:fs';
import { Readable, type Writable } from 'node:stream';

type WriteCallback = (error?: Error | null) => void;

/** Chunk buffers kept for reuse per stream: enough for the read ahead and the socket's queue. */
const MAX_FREE_BUFFERS = 4;

/**
 * Streams bytes [start, end] of an open file, owning its descriptor (closed at the end, on error
 * and when destroyed, never while a read is in flight).
 *
 * Unlike fs.ReadStream, which allocates a new buffer for every read, it can reuse its chunk
 * buffers once the consumer is done with them: {@link recycleAfterWrites} returns each chunk
 * to the stream when the sink's write callback fires (the bytes are then in the kernel). A
 * large GET otherwise allocates its whole size in 1 MiB buffers, and that external memory
 * makes V8 run a full GC every few dozen MiB served. A chunk nobody hands back is never reused.
 */
export class FileRangeStream extends Readable {
  private position: number;
  private readonly free: Buffer[] = [];
  /** Every chunk this stream pushed, so only its own buffers are taken back. */
  private readonly pushed = new WeakSet<Buffer>();
  private isReading = false;
  private closeWhenIdle: ((error?: Error | null) => void) | null = null;
  private fd: number | null;

  constructor(
    fd: number,
    start: number,
    private readonly end: number,
    private readonly chunkSize: number,
  ) {
    super({ highWaterMark: chunkSize });
    this.fd = fd;
    this.position = start;
  }

  /**
   * Wraps `sink.write` so that each chunk of this stream goes back to the stream's free list
   * when its write completes. For an HTTP response, the chunk is then in the socket's kernel
   * buffer; a failed or abandoned write never returns it.
   */
  recycleAfterWrites(sink: Writable): void {
    const original = sink.write.bind(sink) as (...args: unknown[]) => boolean;
    const patched = (chunk: unknown, ...rest: unknown[]): boolean => {
      if (!(chunk instanceof Buffer) || !this.pushed.has(chunk)) {
        return original(chunk, ...rest);
      }
      const done = rest.find((arg) => typeof arg === 'function') as WriteCallback | undefined;
      const onWritten: WriteCallback = (error) => {
        if (!error) {
          this.release(chunk);
        }
        done?.(error);
      };
      return original(chunk, onWritten);
    };
    // Only this sink object is patched; the prototype's write stays as it is.
    Object.defineProperty(sink, 'write', { value: patched, configurable: true, writable: true });
  }

  override _read(): void {
    const fd = this.fd;
    const wanted = Math.min(this.chunkSize, this.end - this.position + 1);
    if (fd === null || wanted <= 0) {
      this.push(null);
      return;
    }
    const buffer = this.free.pop() ?? Buffer.allocUnsafeSlow(this.chunkSize);
    this.isReading = true;
    fs.read(fd, buffer, 0, wanted, this.position, (error, bytesRead) => {
      this.isReading = false;
      if (this.closeWhenIdle !== null) {
        this.closeNow(this.closeWhenIdle, null);
        return;
      }
      if (error) {
        this.destroy(error);
        return;
      }
      if (bytesRead === 0) {
        // The file shrank under the read: end early, as fs.ReadStream does.
        this.push(null);
        return;
      }
      this.position += bytesRead;
      const chunk = bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead);
      if (chunk === buffer) {
        this.pushed.add(chunk);
      }
      this.push(chunk);
    });
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (this.isReading) {
      // Closing now could let the descriptor be reused while the read still targets it.
      this.closeWhenIdle = (closeError) => callback(error ?? closeError);
      return;
    }
    this.closeNow(callback, error);
  }

  private closeNow(callback: (error?: Error | null) => void, error: Error | null): void {
    const fd = this.fd;
    this.fd = null;
    this.free.length = 0;
    if (fd === null) {
      callback(error);
      return;
    }
    fs.close(fd, (closeError) => callback(error ?? closeError));
  }

  private release(chunk: Buffer): void {
    if (this.fd !== null && this.free.length < MAX_FREE_BUFFERS) {
      this.pushed.delete(chunk);
      this.free.push(chunk);
    }
  }
}
