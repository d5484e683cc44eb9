import { randomBytes } from 'node:crypto';
import { stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * Whether files can be created under `dir` (or, when it does not exist yet, under its nearest
 * existing ancestor, where it would be created). Writes and removes a probe file rather than
 * trusting permission bits, which root ignores and read-only mounts do not show. Creates
 * nothing that stays. Resolves to null when writable, else to the reason.
 */
export async function probeWritable(dir: string): Promise<string | null> {
  let target = dir;
  for (;;) {
    try {
      const s = await stat(target);
      if (!s.isDirectory()) {
        return `${target} is not a directory`;
      }
      break;
    } catch (err) {
      const parent = dirname(target);
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || parent === target) {
        return (err as Error).message;
      }
      target = parent;
    }
  }
  const probe = join(target, `.myfsio-probe-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await writeFile(probe, '');
    await unlink(probe);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}
