'use strict';
// Fills buckets for the listing workloads by inserting rows straight into MyFSIO's SQLite index
// (STORAGE_ROOT/.myfsio.sys/meta.db, table object_versions), with the server stopped. Creating a
// million objects through PUT would take ~20 minutes here; listing is served from this index
// alone, so the rows are exactly what a ListObjectsV2 page reads. No object files are created.
const { randomUUID } = require('node:crypto');
const { join } = require('node:path');
const Database = require('better-sqlite3');

const ETAG = 'd41d8cd98f00b204e9800998ecf8427e';

/** The keys of a flat bucket: obj-0000000 … in byte order. */
function flatKey(i) {
  return `obj-${String(i).padStart(7, '0')}`;
}

/** The keys of a nested bucket: dir-0000/obj-000000 … (`perDir` keys in each directory). */
function nestedKey(dir, i) {
  return `dir-${String(dir).padStart(4, '0')}/obj-${String(i).padStart(6, '0')}`;
}

/**
 * Inserts the keys of each spec `{ bucket, keys: () => Iterable<string> }` as latest,
 * unversioned 4 KiB objects owned by the bucket's owner. Buckets must exist (created through the
 * API, so their rows are real). Returns the number of rows written.
 */
function seed(storageRoot, specs) {
  const db = new Database(join(storageRoot, '.myfsio.sys', 'meta.db'));
  let rows = 0;
  try {
    db.pragma('journal_mode = WAL');
    // One bulk load that the bench recreates on every run; durability of each page is moot.
    db.pragma('synchronous = OFF');
    const insert = db.prepare(
      `INSERT INTO object_versions (id, bucket_id, object_key, version_id, is_latest, is_delete_marker,
         size, etag, checksums, checksum_type, content_type, user_metadata, tags, owner_id,
         storage_path, storage_class, parts_count, last_modified, created_at)
       VALUES (?, ?, ?, 'null', 1, 0, 4096, ?, NULL, NULL, 'application/octet-stream', '{}', NULL, ?,
         NULL, 'STANDARD', NULL, ?, ?)`,
    );
    const findBucket = db.prepare('SELECT id, owner_id FROM buckets WHERE name = ?');
    for (const spec of specs) {
      const bucket = findBucket.get(spec.bucket);
      if (!bucket) {
        throw new Error(`bucket ${spec.bucket} is not in the index`);
      }
      const now = Date.now();
      db.transaction(() => {
        for (const key of spec.keys()) {
          insert.run(randomUUID(), bucket.id, key, ETAG, bucket.owner_id, now, now);
          rows++;
        }
      })();
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  return rows;
}

function* flatKeys(count) {
  for (let i = 0; i < count; i++) {
    yield flatKey(i);
  }
}

function* nestedKeys(dirs, perDir) {
  for (let d = 0; d < dirs; d++) {
    for (let i = 0; i < perDir; i++) {
      yield nestedKey(d, i);
    }
  }
}

module.exports = { seed, flatKey, nestedKey, flatKeys, nestedKeys };
