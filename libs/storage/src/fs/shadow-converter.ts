import { mkdir, opendir, rename, rmdir, unlink } from 'node:fs/promises';
import { RESERVED } from '../key-path/reserved-names';
import { conversionName } from '../key-path/segment-codec';
import { StorageError } from '../storage-error';
import {
  errorCode,
  fsyncDir,
  fsyncDirs,
  lstatOrNull,
  moveNoClobber,
  rmdirIfEmpty,
  succeeds,
  tolerate,
} from './fs-helpers';
import type { KeyedMutex } from './keyed-mutex';
import { statOrNull } from './object-files';

const MAX_ATTEMPTS = 8;
/** A conversion directory older than this is a crash leftover and may be taken over. */
export const STALE_CONVERSION_MS = 15_000;
// Longest wait for another process's conversion of the same name (it takes milliseconds unless that process died).
const MAX_WAIT_MS = STALE_CONVERSION_MS + 5_000;
// What a rename or link reports when the name it works on was changed by someone else meanwhile.
const CHANGED = ['ENOENT', 'ENOTDIR'];

/** Paths involved in converting `dir/name`. */
class Names {
  readonly path: string;
  readonly self: string;
  readonly holder: string;
  readonly held: string;
  constructor(
    readonly dir: string,
    name: string,
  ) {
    this.path = `${dir}/${name}`;
    this.self = `${this.path}/${RESERVED.self}`;
    this.holder = `${dir}/${conversionName(name)}`;
    this.held = `${this.holder}/${RESERVED.self}`;
  }
}

/**
 * Switches a name between its plain form (file `name`) and its shadow form
 * (directory `name` holding `name/.myfsio.self`); see docs/storage-layout.md.
 *
 * While a switch is under way the bytes sit at `.myfsio.cv-<name>/.myfsio.self`,
 * which readers also try, so the object never disappears and a crash at any step
 * leaves the bytes where readers find them. Creating that conversion directory
 * (mkdir, atomic on every POSIX file system and NFS) claims the name across
 * processes; within this process a KeyedMutex serialises work per name. Plain
 * publishes and removes from other processes are not excluded: every move is
 * no-clobber, so bytes published meanwhile win over the bytes being moved.
 */
export class ShadowConverter {
  constructor(
    private readonly mutex: KeyedMutex,
    private readonly onDirectoryRemoved: (path: string) => void,
  ) {}

  /** Makes `dir/name` a directory, moving a plain file there into `name/.myfsio.self`. */
  toDirectory(dir: string, name: string): Promise<void> {
    const names = new Names(dir, name);
    return this.mutex.run(names.path, () => this.toDirectoryLocked(names));
  }

  /**
   * Turns directory `dir/name` back into a plain file when it holds nothing but
   * `.myfsio.self`. Best effort: skipped while another process converts the name.
   */
  toFile(dir: string, name: string): Promise<void> {
    const names = new Names(dir, name);
    return this.mutex.run(names.path, () => this.toFileLocked(names));
  }

  private async toDirectoryLocked(n: Names): Promise<void> {
    const deadline = Date.now() + MAX_WAIT_MS;
    for (let attempt = 0; attempt < MAX_ATTEMPTS || Date.now() < deadline; attempt++) {
      if ((await statOrNull(n.path))?.isDirectory()) {
        return;
      }
      // 1. Claim the name by creating its conversion directory beside it.
      if (!(await succeeds(mkdir(n.holder), 'EEXIST'))) {
        await this.waitForClaim(n, attempt);
        continue;
      }
      try {
        if (await this.makeDirectoryClaimed(n)) {
          return;
        }
      } finally {
        await rmdirIfEmpty(n.holder);
      }
    }
    throw new StorageError('KeyPathConflict', `${n.path} kept changing while becoming a directory`);
  }

  /** Steps 2–3 of toDirectory, holding the claim. False when the caller should start over. */
  private async makeDirectoryClaimed(n: Names): Promise<boolean> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await statOrNull(n.path);
      if (current === null || current.isDirectory()) {
        return current !== null || (await this.makeEmptyDirectory(n));
      }
      // 2. Move the file in; from here on readers find it at the conversion path.
      if (!(await succeeds(rename(n.path, n.held), ...CHANGED))) {
        return false;
      }
      if ((await lstatOrNull(n.held))?.isDirectory()) {
        // The name was removed and re-created as a directory between our stat and rename: undo.
        await succeeds(rename(n.held, n.path), ...CHANGED, 'EEXIST', 'ENOTEMPTY');
        return false;
      }
      // 3. Give the directory the object's name (replacing an empty directory made meanwhile).
      try {
        await rename(n.holder, n.path);
        await fsyncDirs([n.path, n.dir]);
        return true;
      } catch (err) {
        const code = errorCode(err);
        if (code === 'ENOTDIR' || code === 'EEXIST') {
          // A newer plain file was published meanwhile: it wins, and is the one to move next.
          await succeeds(unlink(n.held), 'ENOENT');
          continue;
        }
        if (code === 'ENOTEMPTY' || code === 'EISDIR') {
          // Keys below the name arrived meanwhile: the bytes join them unless newer ones did.
          await this.adoptInto(n);
          return true;
        }
        if (code === 'ENOENT') {
          return false;
        }
        throw err;
      }
    }
    return false;
  }

  private async makeEmptyDirectory(n: Names): Promise<boolean> {
    if (!(await succeeds(mkdir(n.path), 'EEXIST'))) {
      return false;
    }
    await fsyncDir(n.dir);
    return true;
  }

  private async toFileLocked(n: Names): Promise<void> {
    if (!(await holdsOnlySelf(n.path))) {
      return;
    }
    const claimed =
      (await succeeds(mkdir(n.holder), 'EEXIST')) ||
      ((await this.settleIfStale(n)) && (await succeeds(mkdir(n.holder), 'EEXIST')));
    if (!claimed) {
      return;
    }
    try {
      // 1. Move the bytes to the conversion path, where readers also look.
      if (!(await succeeds(rename(n.self, n.held), ...CHANGED))) {
        return;
      }
      // 2. Remove the emptied directory; a key that arrived below it meanwhile keeps it.
      this.onDirectoryRemoved(n.path);
      if (!(await succeeds(rmdir(n.path), 'ENOENT', 'ENOTEMPTY', 'EEXIST'))) {
        await this.adoptInto(n);
        return;
      }
      // 3. Give the bytes the object's own name, unless newer bytes took it.
      await this.placeHeld(n);
      await fsyncDir(n.dir);
    } finally {
      await rmdirIfEmpty(n.holder);
    }
  }

  /** Moves the held bytes to `name` (a file); when `name` exists, keeps whichever bytes are newer. */
  private async placeHeld(n: Names, depth = 0): Promise<void> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS && depth < MAX_ATTEMPTS; attempt++) {
      const moved = await tolerate(moveNoClobber(n.held, n.path), ...CHANGED);
      if (moved !== false) {
        return; // moved, or the held bytes were removed (the object was deleted meanwhile)
      }
      const current = await statOrNull(n.path);
      if (current?.isDirectory()) {
        await this.adoptInto(n, depth + 1);
        return;
      }
      if (current !== null) {
        await succeeds(unlink(n.held), 'ENOENT');
        return;
      }
    }
  }

  /** Moves the held bytes into `name/.myfsio.self` unless that exists (then they are older and dropped). */
  private async adoptInto(n: Names, depth = 0): Promise<void> {
    const moved = await tolerate(moveNoClobber(n.held, n.self), ...CHANGED);
    if (moved === true) {
      await fsyncDir(n.path);
    } else if (moved === false) {
      await succeeds(unlink(n.held), 'ENOENT');
    } else if ((await statOrNull(n.path)) === null) {
      // `name` vanished (pruned): the bytes become the plain file.
      await this.placeHeld(n, depth + 1);
    }
  }

  /** Waits while another process holds the claim; takes over a claim left by a crash. */
  private async waitForClaim(n: Names, attempt: number): Promise<void> {
    if (await this.settleIfStale(n)) {
      return;
    }
    const delay = Math.min(2 ** attempt, 250) * (0.5 + Math.random());
    await new Promise((resolve) => setTimeout(resolve, delay));
  }

  /**
   * Finishes a conversion whose directory is older than STALE_CONVERSION_MS (its
   * process died): the held bytes go to `name` as a directory when nothing is there,
   * into `name/.myfsio.self` when `name` is a directory, and are dropped when `name`
   * is a newer plain file. True when the claim was stale (and is now gone).
   */
  private async settleIfStale(n: Names): Promise<boolean> {
    const claim = await lstatOrNull(n.holder);
    if (claim === null) {
      return true;
    }
    if (Date.now() - claim.mtimeMs < STALE_CONVERSION_MS) {
      return false;
    }
    if ((await lstatOrNull(n.held)) !== null) {
      const current = await statOrNull(n.path);
      if (current === null && (await succeeds(rename(n.holder, n.path), ...CHANGED, 'EEXIST', 'ENOTEMPTY'))) {
        await fsyncDir(n.dir);
        return true;
      }
      if (current?.isFile()) {
        await succeeds(unlink(n.held), 'ENOENT');
      } else {
        await this.adoptInto(n);
      }
    }
    await rmdirIfEmpty(n.holder);
    return true;
  }
}

/** True when `path` is a directory whose only entry is `.myfsio.self`; reads at most two entries. */
export async function holdsOnlySelf(path: string): Promise<boolean> {
  const dir = await tolerate(opendir(path, { bufferSize: 2 }), 'ENOENT', 'ENOTDIR');
  if (dir === undefined) {
    return false;
  }
  try {
    const first = await dir.read();
    return first?.name === RESERVED.self && (await dir.read()) === null;
  } finally {
    await dir.close();
  }
}
