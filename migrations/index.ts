import { InitialSchema1763900000000 } from './1763900000000-InitialSchema';
import { ObjectPartSizes1764000000000 } from './1764000000000-ObjectPartSizes';
import { ObjectLockColumns1764200000000 } from './1764200000000-ObjectLockColumns';
import { ObjectAcl1765100000000 } from './1765100000000-ObjectAcl';
import { MaintenanceHistory1765200000000 } from './1765200000000-MaintenanceHistory';

/**
 * Every metadata migration in order, passed to TypeORM as classes (not a glob) so the same
 * list works from TypeScript under Jest and from the compiled JavaScript. Append only:
 * never edit or reorder a merged migration.
 */
export const MIGRATIONS = [
  InitialSchema1763900000000,
  ObjectPartSizes1764000000000,
  ObjectLockColumns1764200000000,
  ObjectAcl1765100000000,
  MaintenanceHistory1765200000000,
];
