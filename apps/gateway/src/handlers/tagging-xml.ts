import { asArray, parseXml, S3Error, S3Errors, type XmlObject, xmlText } from '@myfsio/common';

function element(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * The tag set of a `<Tagging><TagSet><Tag><Key/><Value/></Tag>…</TagSet></Tagging>` body
 * (PutObjectTagging, PutBucketTagging), in the order sent. Throws `MalformedXML` when the
 * document is not that shape or a Tag lacks its Key or Value, and `InvalidTag` for a repeated
 * key. The tag rules themselves (count, lengths, characters) are the services' to check.
 */
export function parseTaggingBody(text: string): Record<string, string> {
  const doc = parseXml(text);
  const root = element(doc.Tagging);
  if (root === undefined || !('TagSet' in root)) {
    throw S3Errors.malformedXml('expected a Tagging element with a TagSet');
  }
  const tagSet = root.TagSet;
  if (tagSet !== '' && element(tagSet) === undefined) {
    throw S3Errors.malformedXml('TagSet must hold Tag elements');
  }
  const tags: Record<string, string> = {};
  for (const raw of asArray(element(tagSet)?.Tag)) {
    const tag = element(raw);
    const key = xmlText(tag?.Key);
    const value = xmlText(tag?.Value);
    if (key === undefined || value === undefined) {
      throw S3Errors.malformedXml('each Tag needs a Key and a Value');
    }
    if (Object.prototype.hasOwnProperty.call(tags, key)) {
      throw new S3Error('InvalidTag', { message: 'Cannot provide multiple Tags with the same key' });
    }
    tags[key] = value;
  }
  return tags;
}

/** The `Tagging` response document of GetObjectTagging/GetBucketTagging; an empty set is `<TagSet/>`. */
export function taggingXml(tags: Record<string, string>): { root: string; body: XmlObject } {
  const entries = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
  return { root: 'Tagging', body: { TagSet: entries.length > 0 ? { Tag: entries } : {} } };
}
