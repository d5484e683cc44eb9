import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { ObjectStore, StageOptions } from '../object-store';

/** Test support (used by *.spec.ts only): a fresh STORAGE_ROOT under os.tmpdir(). */
export async function makeTempRoot(): Promise<{ root: string; cleanup: () => Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'myfsio-storage-'));
  return { root, cleanup: () => rm(root, { recursive: true, force: true }) };
}

/** Test support: stages and publishes `body` as bucket/key. */
export async function putObject(
  store: ObjectStore,
  bucket: string,
  key: string,
  body: string | Buffer,
  options?: StageOptions,
): Promise<void> {
  const staged = await store.stage(Readable.from([Buffer.from(body)]), options);
  try {
    await staged.publish(bucket, key);
  } finally {
    await staged.discard();
  }
}

/** Test support: the whole body of bucket/key as a string, or null. */
export async function readObject(
  store: ObjectStore,
  bucket: string,
  key: string,
  range?: { start: number; end: number },
): Promise<string | null> {
  const reader = await store.open(bucket, key, range);
  if (reader === null) {
    return null;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of reader.stream) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Test support: every file path below `dir`, relative, sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => !entry.isDirectory())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}
