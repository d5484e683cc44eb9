import type { Dirent } from 'node:fs';
import { opendir, readdir } from 'node:fs/promises';
import { RESERVED } from '../key-path/reserved-names';
import { conversionName } from '../key-path/segment-codec';
import type { ConversionClaim, ConversionState, EmptyDirectory } from '../maintenance-store';
import { lstatOrNull, tolerate } from './fs-helpers';

/** Whether a directory entry name is a conversion claim (`.myfsio.cv-*` or `.myfsio.cvh-*`). */
export function isConversionName(name: string): boolean {
  return name.startsWith(RESERVED.conversion) || name.startsWith(RESERVED.conversionHashed);
}

async function isDirectory(entry: Dirent, path: string): Promise<boolean> {
  if (entry.isDirectory()) {
    return true;
  }
  if (entry.isFile() || entry.isSymbolicLink()) {
    return false;
  }
  // Some file systems do not report entry types.
  return (await lstatOrNull(path))?.isDirectory() === true;
}

async function isFile(path: string): Promise<boolean> {
  return (await lstatOrNull(path))?.isFile() === true;
}

/** Subdirectories of `absolute` (symlinks not followed), as [name, absolute path]. */
async function subdirectories(absolute: string): Promise<[string, string][]> {
  const dir = await tolerate(opendir(absolute), 'ENOENT', 'ENOTDIR');
  if (dir === undefined) {
    return [];
  }
  const out: [string, string][] = [];
  for await (const entry of dir) {
    const path = `${absolute}/${entry.name}`;
    if (await isDirectory(entry, path)) {
      out.push([entry.name, path]);
    }
  }
  return out;
}

/** The on-disk name a conversion directory `claim` in `dir` stands for, or null when unknown. */
async function claimedName(dir: string, claim: string): Promise<string | null> {
  if (claim.startsWith(RESERVED.conversion)) {
    return claim.slice(RESERVED.conversion.length);
  }
  // The hashed form names sha256(name): find the sibling whose conversion name it is.
  const siblings = (await tolerate(readdir(dir), 'ENOENT')) ?? [];
  return siblings.find((name) => !isConversionName(name) && conversionName(name) === claim) ?? null;
}

/** Classifies conversion directory `dir/claim` (see {@link ConversionState}). */
export async function classifyClaim(
  dir: string,
  claim: string,
): Promise<{ state: ConversionState; size: number; mtimeMs: number } | null> {
  const path = `${dir}/${claim}`;
  const stats = await lstatOrNull(path);
  if (!stats?.isDirectory()) {
    return null;
  }
  const entries = (await tolerate(readdir(path), 'ENOENT', 'ENOTDIR')) ?? [];
  if (entries.length === 0) {
    return { state: 'empty', size: 0, mtimeMs: stats.mtimeMs };
  }
  const held = await lstatOrNull(`${path}/${RESERVED.self}`);
  if (entries.length !== 1 || !held?.isFile()) {
    return { state: 'unknown', size: 0, mtimeMs: stats.mtimeMs };
  }
  const name = await claimedName(dir, claim);
  const hasPrimary =
    name !== null && ((await isFile(`${dir}/${name}`)) || (await isFile(`${dir}/${name}/${RESERVED.self}`)));
  return hasPrimary
    ? { state: 'superseded', size: held.size, mtimeMs: stats.mtimeMs }
    : { state: 'interrupted', size: held.size, mtimeMs: stats.mtimeMs };
}

/** Every conversion directory below `bucketDir`, classified; claims are not entered. */
export async function* findClaims(bucketDir: string, relative = ''): AsyncGenerator<ConversionClaim> {
  const absolute = relative === '' ? bucketDir : `${bucketDir}/${relative}`;
  for (const [name] of await subdirectories(absolute)) {
    const childRelative = relative === '' ? name : `${relative}/${name}`;
    if (!isConversionName(name)) {
      yield* findClaims(bucketDir, childRelative);
      continue;
    }
    const found = await classifyClaim(absolute, name);
    if (found !== null) {
      yield { path: childRelative, ...found };
    }
  }
}

/**
 * Empty directories below `bucketDir`, deepest first. Each directory's mtime is read before
 * its subdirectories are visited, and its emptiness checked after they were reported, so the
 * caller's removals of those make it count as empty with its own, older mtime.
 */
export async function* findEmptyDirectories(
  bucketDir: string,
  relative = '',
): AsyncGenerator<EmptyDirectory> {
  const absolute = relative === '' ? bucketDir : `${bucketDir}/${relative}`;
  const stats = await lstatOrNull(absolute);
  if (!stats?.isDirectory()) {
    return;
  }
  for (const [name] of await subdirectories(absolute)) {
    if (!isConversionName(name)) {
      yield* findEmptyDirectories(bucketDir, relative === '' ? name : `${relative}/${name}`);
    }
  }
  if (relative !== '' && ((await tolerate(readdir(absolute), 'ENOENT', 'ENOTDIR')) ?? [null]).length === 0) {
    yield { path: relative, mtimeMs: stats.mtimeMs };
  }
}
