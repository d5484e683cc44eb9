import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assembleFiles, type AssemblyLimits, type AssemblySource } from './assemble';
import * as fdIo from './fd-io';
import { makeTempRoot } from './spec-helpers';
import type { StagingArea } from './staging';

// Wraps the descriptor I/O the assembly uses, to count what is in flight and to inject failures.
jest.mock('./fd-io', () => {
  const actual = jest.requireActual<typeof import('./fd-io')>('./fd-io');
  return {
    ...actual,
    readFd: jest.fn(actual.readFd),
    writeFullyFd: jest.fn(actual.writeFullyFd),
    fdatasyncFd: jest.fn(actual.fdatasyncFd),
    closeFd: jest.fn(actual.closeFd),
    closeFdQuietly: jest.fn(actual.closeFdQuietly),
  };
});
const actual = jest.requireActual<typeof import('./fd-io')>('./fd-io');
const mocked = {
  readFd: jest.mocked(fdIo.readFd),
  writeFullyFd: jest.mocked(fdIo.writeFullyFd),
  fdatasyncFd: jest.mocked(fdIo.fdatasyncFd),
  closeFd: jest.mocked(fdIo.closeFd),
  closeFdQuietly: jest.mocked(fdIo.closeFdQuietly),
};

const SMALL: AssemblyLimits = { copiers: 3, chunkBytes: 7, flushBytes: 20 };

/** Descriptors this process has open (Linux). */
async function openDescriptors(): Promise<number> {
  return (await readdir('/proc/self/fd')).length;
}

describe('assembleFiles', () => {
  let root: string;
  let cleanup: () => Promise<void>;
  let area: StagingArea;
  let inFlight: number;
  let maxInFlight: number;

  /** Counts `call` as in flight until it settles. */
  async function counted<T>(call: () => Promise<T>): Promise<T> {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      return await call();
    } finally {
      inFlight--;
    }
  }

  beforeEach(async () => {
    ({ root, cleanup } = await makeTempRoot());
    const tempDir = join(root, 'tmp');
    area = {
      tempDir,
      writeBlockSize: 8,
      live: new Set(),
      ready: () => mkdir(tempDir, { recursive: true }).then(() => undefined),
      publish: async (tempPath, _bucket, key, onPlaced) => {
        await rename(tempPath, join(root, key));
        onPlaced();
      },
    };
    inFlight = 0;
    maxInFlight = 0;
    mocked.readFd.mockImplementation((...args) => counted(() => actual.readFd(...args)));
    mocked.writeFullyFd.mockImplementation((...args) => counted(() => actual.writeFullyFd(...args)));
    mocked.fdatasyncFd.mockImplementation((fd) => counted(() => actual.fdatasyncFd(fd)));
  });
  afterEach(async () => {
    for (const mock of Object.values(mocked)) {
      mock.mockReset();
    }
    mocked.closeFd.mockImplementation(actual.closeFd);
    mocked.closeFdQuietly.mockImplementation(actual.closeFdQuietly);
    await cleanup();
  });

  /** Writes one source per body, `p<i>`, labelled `part <i>`. */
  async function sources(...bodies: Buffer[]): Promise<AssemblySource[]> {
    return await Promise.all(
      bodies.map(async (body, i) => {
        const path = join(root, `p${i}`);
        await writeFile(path, body);
        return { path, size: body.length, label: `part ${i}` };
      }),
    );
  }

  it('copies many sources of uneven sizes in order, each at its offset', async () => {
    const bodies = Array.from({ length: 40 }, (_, i) =>
      Buffer.alloc((i * 7919) % 53, String.fromCharCode(65 + (i % 26))),
    );
    const assembled = await assembleFiles(area, await sources(...bodies), SMALL);
    const expected = Buffer.concat(bodies);
    expect(assembled.size).toBe(expected.length);
    await assembled.publish('bkt', 'out');
    expect((await readFile(join(root, 'out'))).equals(expected)).toBe(true);
    expect(await readdir(area.tempDir)).toEqual([]);
    expect(area.live.size).toBe(0);
  });

  it('keeps at most `copiers` reads and writes in flight, several at once', async () => {
    const bodies = Array.from({ length: 12 }, (_, i) => Buffer.alloc(30 + i, i));
    const assembled = await assembleFiles(area, await sources(...bodies), { ...SMALL, flushBytes: 1e9 });
    await assembled.discard();
    expect(maxInFlight).toBe(SMALL.copiers);
  });

  it('assembles nothing into an empty file, still checking every source', async () => {
    const [first, second] = await sources(Buffer.alloc(0), Buffer.alloc(0));
    const assembled = await assembleFiles(area, [first, second] as AssemblySource[], SMALL);
    expect(assembled.size).toBe(0);
    await assembled.discard();
    await expect(
      assembleFiles(area, [{ ...(first as AssemblySource), size: 1 }], SMALL),
    ).rejects.toMatchObject({
      kind: 'Io',
      message: 'part 0 has 0 bytes, expected 1',
    });
  });

  it.each([
    [
      'missing',
      (list: AssemblySource[]) => [...list, { path: join(root, 'gone'), size: 5, label: 'part 10' }],
    ],
    ['shorter', (list: AssemblySource[]) => list.map((s, i) => (i === 5 ? { ...s, size: s.size + 1 } : s))],
    ['longer', (list: AssemblySource[]) => list.map((s, i) => (i === 5 ? { ...s, size: s.size - 1 } : s))],
  ])('fails with Io when a source is %s, leaving no temp file and no descriptor open', async (_, alter) => {
    const list = alter(await sources(...Array.from({ length: 10 }, (_, i) => Buffer.alloc(20, i))));
    const before = await openDescriptors();
    const failure = assembleFiles(area, list, SMALL);
    await expect(failure).rejects.toMatchObject({ kind: 'Io' });
    await expect(failure).rejects.toThrow(/^part (5|10) (is missing|has \d+ bytes, expected \d+)$/);
    expect(await openDescriptors()).toBe(before);
    expect(await readdir(area.tempDir)).toEqual([]);
    expect(area.live.size).toBe(0);
  });

  it('fails with Io when a source ends early while copied', async () => {
    mocked.readFd.mockResolvedValueOnce(0);
    await expect(assembleFiles(area, await sources(Buffer.alloc(10)), SMALL)).rejects.toMatchObject({
      kind: 'Io',
      message: 'part 0 ended after 0 of 10 bytes',
    });
    expect(await readdir(area.tempDir)).toEqual([]);
  });

  it('on a failed write, closes and removes the temp file only once no I/O is in flight', async () => {
    let writes = 0;
    mocked.writeFullyFd.mockImplementation((...args) =>
      counted(async () => {
        if (++writes === 4) {
          throw Object.assign(new Error('no space left'), { code: 'ENOSPC' });
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
        await actual.writeFullyFd(...args);
      }),
    );
    const inFlightAtClose: number[] = [];
    mocked.closeFdQuietly.mockImplementation((fd) => {
      inFlightAtClose.push(inFlight);
      return actual.closeFdQuietly(fd);
    });
    const before = await openDescriptors();
    const list = await sources(...Array.from({ length: 10 }, (_, i) => Buffer.alloc(20, i)));
    await expect(assembleFiles(area, list, SMALL)).rejects.toMatchObject({
      kind: 'Io',
      message: 'assembling parts: no space left',
    });
    expect(inFlightAtClose.length).toBeGreaterThan(0);
    expect(inFlightAtClose.every((count) => count === 0)).toBe(true);
    expect(await openDescriptors()).toBe(before);
    expect(await readdir(area.tempDir)).toEqual([]);
    expect(area.live.size).toBe(0);
  });
});
