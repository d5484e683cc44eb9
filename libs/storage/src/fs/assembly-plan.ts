import { StorageError } from '../storage-error';
import { closeFd, closeFdQuietly, fstatFd, openFd } from './fd-io';
import { errorCode } from './fs-helpers';

/** One file (or one range of a file) to append, with the size it must have. */
export interface AssemblySource {
  path: string;
  size: number;
  /**
   * Where the range starts in the file. Without it the source is the whole file, which must
   * have exactly `size` bytes; with it the file must reach at least `offset + size`.
   */
  offset?: number;
  /** Names the source in errors (`part 3 of upload …`). */
  label: string;
}

/** A range of one source and where it goes in the target. */
export interface AssemblyChunk {
  readonly source: SourceFile;
  /** Offset in the source. */
  readonly from: number;
  /** Offset in the target. */
  readonly to: number;
  readonly length: number;
}

/**
 * A source opened once for all the copiers of its chunks: opened (and its size checked) when
 * its first chunk is handed out, closed when the last one is released.
 */
export class SourceFile {
  private opening: Promise<number> | null = null;
  private holders = 0;
  private allHandedOut = false;
  private closed = false;

  constructor(readonly source: AssemblySource) {}

  /** The descriptor; a missing source or one of another size is StorageError 'Io'. */
  get fd(): Promise<number> {
    this.opening ??= openChecked(this.source);
    return this.opening;
  }

  hold(last: boolean): void {
    this.holders++;
    this.allHandedOut ||= last;
  }

  /** Closes the source once its last chunk is released. */
  async release(): Promise<void> {
    this.holders--;
    if (this.holders === 0 && this.allHandedOut) {
      await this.close(closeFd);
    }
  }

  /** Closes the source if it was opened, ignoring failures: for cleanup after an error. */
  async abandon(): Promise<void> {
    await this.close(closeFdQuietly);
  }

  private async close(closer: (fd: number) => Promise<void>): Promise<void> {
    if (this.opening === null || this.closed) {
      return;
    }
    this.closed = true;
    const fd = await this.opening.catch(() => null);
    if (fd !== null) {
      await closer(fd);
    }
  }
}

/**
 * Cuts the sources into chunks of at most `chunkBytes`, handed out in target order. Every
 * offset is known in advance from the expected sizes, so chunks can be copied in any order;
 * an empty source still gets one empty chunk, so that it is opened and its size checked.
 */
export class AssemblyPlan {
  readonly size: number;
  private readonly files: SourceFile[];
  private index = 0;
  private from = 0;
  private to = 0;

  constructor(
    sources: readonly AssemblySource[],
    private readonly chunkBytes: number,
  ) {
    this.files = sources.map((source) => new SourceFile(source));
    this.size = sources.reduce((sum, source) => sum + source.size, 0);
  }

  /** The next chunk, held for its copier until released; null when all were handed out. */
  next(): AssemblyChunk | null {
    const file = this.files[this.index];
    if (file === undefined) {
      return null;
    }
    const length = Math.min(this.chunkBytes, file.source.size - this.from);
    const chunk = { source: file, from: this.from, to: this.to, length };
    this.from += length;
    this.to += length;
    const last = this.from >= file.source.size;
    file.hold(last);
    if (last) {
      this.index++;
      this.from = 0;
    }
    return chunk;
  }

  /** Closes every source still open, ignoring failures. */
  async abandon(): Promise<void> {
    await Promise.all(this.files.map((file) => file.abandon()));
  }
}

async function openChecked(source: AssemblySource): Promise<number> {
  let fd: number;
  try {
    fd = await openFd(source.path, 'r');
  } catch (err) {
    if (errorCode(err) === 'ENOENT') {
      throw new StorageError('Io', `${source.label} is missing`, { cause: err });
    }
    throw err;
  }
  try {
    const { size } = await fstatFd(fd);
    if (source.offset === undefined ? size !== source.size : size < source.offset + source.size) {
      throw new StorageError('Io', `${source.label} has ${size} bytes, expected ${source.size}`);
    }
    return fd;
  } catch (err) {
    await closeFdQuietly(fd);
    throw err;
  }
}
