import type { PolicyDocument } from './types';

const EXISTING_OBJECT_TAG = 's3:existingobjecttag/';
const mentions = new WeakMap<PolicyDocument, boolean>();

/**
 * Whether a statement of `doc` has a condition on s3:ExistingObjectTag/<key>. The gateway
 * reads an object's tags for a decision only then: for nearly every request no policy asks.
 * Parsed documents are immutable, so the answer is cached per document.
 */
export function mentionsExistingObjectTag(doc: PolicyDocument): boolean {
  let found = mentions.get(doc);
  if (found === undefined) {
    found = doc.Statement.some((statement) =>
      Object.values(statement.Condition ?? {}).some((keys) =>
        Object.keys(keys).some((key) => key.toLowerCase().startsWith(EXISTING_OBJECT_TAG)),
      ),
    );
    mentions.set(doc, found);
  }
  return found;
}
