import { mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FileRangeStream } from './file-range-stream';

describe('FileRangeStream', () => {
  let dir: string;
  let path: string;
  const data = Buffer.from(Array.from({ length: 10_000 }, (_, i) => i % 251));
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'frs-'));
    path = join(dir, 'f');
    writeFileSync(path, data);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A sink that keeps a copy of every chunk and completes each write asynchronously. */
  function collector() {
    const copies: Buffer[] = [];
    const seen: Buffer[] = [];
    const sink = new Writable({
      highWaterMark: 1,
      write(chunk: Buffer, _enc, done) {
        seen.push(chunk);
        copies.push(Buffer.from(chunk));
        setImmediate(done);
      },
    });
    return { sink, copies, seen };
  }

  it('streams exactly the requested range in chunks', async () => {
    const { sink, copies } = collector();
    await pipeline(new FileRangeStream(openSync(path, 'r'), 100, 9_099, 1024), sink);
    expect(Buffer.concat(copies)).toEqual(data.subarray(100, 9_100));
    expect(copies.length).toBe(9);
  });

  it('reuses its chunk buffers once the sink has written them, without corrupting the bytes', async () => {
    const { sink, copies, seen } = collector();
    const stream = new FileRangeStream(openSync(path, 'r'), 0, data.length - 1, 512);
    stream.recycleAfterWrites(sink);
    await pipeline(stream, sink);
    expect(Buffer.concat(copies)).toEqual(data);
    const distinct = new Set(seen.map((b) => b.buffer));
    expect(distinct.size).toBeLessThan(seen.length);
  });

  it('allocates a new buffer for every chunk when nobody hands them back', async () => {
    const { sink, seen } = collector();
    await pipeline(new FileRangeStream(openSync(path, 'r'), 0, data.length - 1, 512), sink);
    expect(new Set(seen.map((b) => b.buffer)).size).toBe(seen.length);
  });

  it('closes its descriptor at the end and when destroyed, after any read in flight', async () => {
    const isOpen = (fd: number) => {
      try {
        fs.fstatSync(fd);
        return true;
      } catch {
        return false;
      }
    };
    const { sink } = collector();
    const first = openSync(path, 'r');
    await pipeline(new FileRangeStream(first, 0, data.length - 1, 4096), sink);
    expect(isOpen(first)).toBe(false);
    const second = openSync(path, 'r');
    const stream = new FileRangeStream(second, 0, data.length - 1, 4096);
    // read(0) starts a read at once; the descriptor must outlive it.
    stream.read(0);
    stream.destroy();
    expect(isOpen(second)).toBe(true);
    await new Promise((r) => stream.once('close', r));
    expect(isOpen(second)).toBe(false);
  });

  it('ends early when the file is shorter than the range', async () => {
    const { sink, copies } = collector();
    await pipeline(new FileRangeStream(openSync(path, 'r'), 9_000, 20_000, 4096), sink);
    expect(Buffer.concat(copies)).toEqual(data.subarray(9_000));
  });
});
