import { AppConfig } from '@myfsio/config';
import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The key that protects secrets at rest. `SECRET_KEY` when set; otherwise generated once and
 * persisted (mode 0600) in the system area, so every gateway on a shared STORAGE_ROOT and
 * every restart uses the same key.
 */
@Injectable()
export class SecretKeyProvider {
  private cached?: string;

  constructor(private readonly config: AppConfig) {}

  get(): string {
    this.cached ??= this.config.auth.secretKey ?? this.readOrCreate(this.config.auth.secretKeyPath);
    return this.cached;
  }

  private readOrCreate(path: string): string {
    try {
      return readFileSync(path, 'utf8').trim();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw err;
      }
    }
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const key = randomBytes(32).toString('base64url');
    try {
      // 'wx' makes creation exclusive: when two processes race, one wins and the other reads it.
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, `${key}\n`);
      fsyncSync(fd);
      closeSync(fd);
      chmodSync(path, 0o600);
      return key;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
        return readFileSync(path, 'utf8').trim();
      }
      throw err;
    }
  }
}
