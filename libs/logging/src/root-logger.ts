import type { AppConfig } from '@myfsio/config';
import { mkdirSync } from 'node:fs';
import pino, { type Logger } from 'pino';
import { createStream } from 'rotating-file-stream';

const LEVELS: Record<string, pino.Level> = {
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
  CRITICAL: 'fatal',
};

/**
 * The process-wide pino logger: JSON lines to stdout and, when `LOG_TO_FILE`, to
 * `LOG_DIR/LOG_FILE` rotated at `LOG_MAX_BYTES` keeping `LOG_BACKUP_COUNT` files.
 * Secrets are redacted by path so request headers never leak credentials.
 */
export function createRootLogger(config: AppConfig): Logger {
  const level = LEVELS[config.log.level] ?? 'info';
  // Each multistream entry filters on its own level (default info), so give them the logger's.
  const streams: pino.StreamEntry[] = [{ stream: process.stdout, level }];
  if (config.log.toFile) {
    mkdirSync(config.log.dir, { recursive: true });
    const file = config.log.file;
    // Classic rotation, as logrotate and Python's RotatingFileHandler do: app.log is current,
    // app.log.1 the newest backup, app.log.N the oldest kept. In this mode the generator is
    // called with the rotation index only (null for the current file).
    const name = (index: number | null) => (index ? `${file}.${index}` : file);
    const rotating = createStream(name as unknown as (time: number | Date, index?: number) => string, {
      path: config.log.dir,
      size: `${Math.max(1, Math.floor(config.log.maxBytes / 1024))}K`,
      rotate: Math.max(1, config.log.backupCount),
    });
    streams.push({ stream: rotating, level });
  }
  return pino(
    {
      level,
      base: { app: 'myfsio' },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers["x-secret-key"]',
          'req.headers["x-amz-security-token"]',
          'secret',
          'secretKey',
          '*.secretKey',
        ],
        censor: '[redacted]',
      },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    pino.multistream(streams),
  );
}
