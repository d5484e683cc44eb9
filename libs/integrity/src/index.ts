/**
 * @myfsio/integrity: the integrity scanner. Finds objects whose file changed behind the
 * gateway, files without metadata, metadata without files and orphaned version files, in
 * resumable batches; heals them when asked. See docs/gc-and-integrity.md.
 */

/** Nest module providing {@link IntegrityService}. */
export { IntegrityModule } from './integrity.module';
/** `run({ dryRun, autoHeal })`, `status()`, `historyPage(limit, offset)`. */
export { INTEGRITY_CURSOR_KEY, IntegrityService, type IntegrityStatus } from './integrity.service';
/** The report of a scan and its parts. */
export type * from './integrity.types';
/** The content type the scanner gives a file it indexes (from the key's extension). */
export { contentTypeForKey, DEFAULT_CONTENT_TYPE } from './content-type';
