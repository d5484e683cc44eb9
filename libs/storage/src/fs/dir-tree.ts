import { mkdir, rmdir } from 'node:fs/promises';
import { RESERVED } from '../key-path/reserved-names';
import { errorCode, lstatOrNull, tolerate } from './fs-helpers';
import type { KeyedMutex } from './keyed-mutex';
import { statOrNull } from './object-files';
import { holdsOnlySelf, ShadowConverter } from './shadow-converter';

// Bounds the memory of the cache; past it the cache starts over (one mkdir per miss).
const MAX_KNOWN_DIRECTORIES = 100_000;

/**
 * Creates and prunes the directories of object paths. It remembers which
 * directories exist, so a PUT into a known directory costs no mkdir; a stale entry
 * (another process pruned or converted the directory) shows up as ENOENT/ENOTDIR
 * at rename time, and the publisher calls `forget` and retries.
 */
export class DirTree {
  private readonly known = new Set<string>();
  private readonly converter: ShadowConverter;

  constructor(mutex: KeyedMutex) {
    this.converter = new ShadowConverter(mutex, (path) => this.known.delete(path));
  }

  /**
   * Makes `bucketDir/segments…` a directory chain, converting a plain file in the
   * way to its shadow form. Returns the directories that gained an entry and must
   * be fsynced for the new names to be durable.
   */
  async ensure(bucketDir: string, segments: readonly string[]): Promise<string[]> {
    if (segments.length === 0) {
      return [];
    }
    const full = `${bucketDir}/${segments.join('/')}`;
    if (this.known.has(full)) {
      return [];
    }
    // Common case: the parent exists, so one mkdir settles it.
    try {
      await mkdir(full);
      this.remember(full);
      return [full.slice(0, full.lastIndexOf('/'))];
    } catch (err) {
      const code = errorCode(err);
      if (code === 'EEXIST' && (await statOrNull(full))?.isDirectory()) {
        this.remember(full);
        return [];
      }
      if (code !== 'EEXIST' && code !== 'ENOENT' && code !== 'ENOTDIR') {
        throw err;
      }
    }
    const synced: string[] = [];
    let dir = bucketDir;
    for (const segment of segments) {
      const child = `${dir}/${segment}`;
      if (!this.known.has(child)) {
        if (await this.makeDirectory(dir, segment)) {
          synced.push(dir);
        }
        this.remember(child);
      }
      dir = child;
    }
    return synced;
  }

  /**
   * Removes the now-empty directories of `segments`, deepest first, up to (not
   * including) the bucket directory. A directory holding only `.myfsio.self` turns
   * back into the plain file it shadows, which ends the walk up.
   */
  async prune(bucketDir: string, segments: readonly string[]): Promise<void> {
    for (let depth = segments.length; depth > 0; depth--) {
      if (!(await this.pruneOne(bucketDir, segments.slice(0, depth)))) {
        return;
      }
    }
  }

  /**
   * As {@link prune} for many chains at once, trying each directory once: level by level,
   * deepest first, `concurrency` directories at a time; a parent is tried only when a child
   * of it was removed. A directory that fails is left (the garbage collector removes empty
   * ones); returns each failure with the `owners` of the chains that led to it.
   */
  async pruneMany<O>(
    bucketDir: string,
    chains: readonly { segments: readonly string[]; owner: O }[],
    concurrency: number,
  ): Promise<{ err: unknown; owners: O[] }[]> {
    const failures: { err: unknown; owners: O[] }[] = [];
    const pending = new Map<string, { segments: readonly string[]; owners: O[] }>();
    const add = (segments: readonly string[], owners: readonly O[]): void => {
      if (segments.length === 0) {
        return;
      }
      const path = segments.join('/');
      const entry = pending.get(path) ?? { segments, owners: [] };
      entry.owners.push(...owners);
      pending.set(path, entry);
    };
    chains.forEach((chain) => add(chain.segments, [chain.owner]));
    while (pending.size > 0) {
      const depth = Math.max(...[...pending.values()].map((e) => e.segments.length));
      const level = [...pending.entries()].filter(([, e]) => e.segments.length === depth);
      level.forEach(([path]) => pending.delete(path));
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < level.length) {
          const [, entry] = level[next++] ?? [];
          if (entry === undefined) {
            return;
          }
          try {
            if (await this.pruneOne(bucketDir, entry.segments)) {
              add(entry.segments.slice(0, -1), entry.owners);
            }
          } catch (err) {
            failures.push({ err, owners: entry.owners });
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, level.length) }, worker));
    }
    return failures;
  }

  /**
   * Tries to remove the directory `segments` (non-empty) below the bucket directory; true
   * when the walk up should go on (removed, or gone already).
   */
  private async pruneOne(bucketDir: string, segments: readonly string[]): Promise<boolean> {
    const parent = segments.length === 1 ? bucketDir : `${bucketDir}/${segments.slice(0, -1).join('/')}`;
    const name = segments[segments.length - 1] ?? '';
    const path = `${parent}/${name}`;
    try {
      this.known.delete(path);
      await rmdir(path);
      return true;
    } catch (err) {
      const code = errorCode(err);
      if (code === 'ENOENT') {
        return true;
      }
      if (code === 'ENOTEMPTY' || code === 'EEXIST') {
        this.remember(path);
        // One lstat rules out the common case (no shadow file) before reading the directory.
        if ((await lstatOrNull(`${path}/${RESERVED.self}`)) !== null && (await holdsOnlySelf(path))) {
          // Best effort: the object is removed already; a conversion that loses a race
          // to another process leaves the (valid) shadow form in place.
          await tolerate(this.converter.toFile(parent, name), 'ENOENT', 'ENOTDIR');
        }
        return false;
      }
      if (code === 'ENOTDIR') {
        return false;
      }
      throw err;
    }
  }

  /** Drops cached knowledge of a chain after a failed rename into it. */
  forget(bucketDir: string, segments: readonly string[]): void {
    let dir = bucketDir;
    for (const segment of segments) {
      dir = `${dir}/${segment}`;
      this.known.delete(dir);
    }
  }

  /** Drops cached knowledge of every directory below a bucket directory. */
  forgetBucket(bucketDir: string): void {
    const prefix = `${bucketDir}/`;
    for (const path of this.known) {
      if (path.startsWith(prefix)) {
        this.known.delete(path);
      }
    }
  }

  /** Makes `dir/name` a directory; true when this call created it (so `dir` needs an fsync). */
  private async makeDirectory(dir: string, name: string): Promise<boolean> {
    const path = `${dir}/${name}`;
    try {
      await mkdir(path);
      return true;
    } catch (err) {
      if (errorCode(err) !== 'EEXIST') {
        throw err;
      }
    }
    if (!(await statOrNull(path))?.isDirectory()) {
      // A plain file is in the way: it is an object, so it moves to its shadow form.
      await this.converter.toDirectory(dir, name);
    }
    return false;
  }

  private remember(path: string): void {
    if (this.known.size >= MAX_KNOWN_DIRECTORIES) {
      this.known.clear();
    }
    this.known.add(path);
  }
}
