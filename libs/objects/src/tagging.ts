import { S3Error } from '@myfsio/common';
import type { HeaderBag } from './objects.types';
import { decodeHeaderText, headerValue } from './header-values';

const TAG_KEY_MAX = 128;
const TAG_VALUE_MAX = 256;
/** Letters, numbers, spaces and `+ - = . _ : / @`, as S3 allows in tags. */
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}+\-=._:/@]*$/u;

function invalidTag(message: string): S3Error {
  return new S3Error('InvalidTag', { message });
}

/**
 * Parses `x-amz-tagging` (a URL query string, `k1=v1&k2=v2`) into a tag set; undefined when
 * the header is absent. Throws `InvalidTag` as S3 does for the object tag rules
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-tagging.html): at most `limit`
 * tags, unique keys of 1-128 characters not starting with `aws:`, values of 0-256 characters.
 */
export function readTagging(headers: HeaderBag, limit: number): Record<string, string> | undefined {
  const raw = headerValue(headers, 'x-amz-tagging');
  if (raw === undefined) {
    return undefined;
  }
  const tags: Record<string, string> = {};
  const params = new URLSearchParams(decodeHeaderText(raw));
  for (const [key, value] of params) {
    if (Object.prototype.hasOwnProperty.call(tags, key)) {
      throw invalidTag('Cannot provide multiple Tags with the same key');
    }
    tags[key] = value;
  }
  validateTags(tags, limit);
  return tags;
}

/** Validates a tag set against S3's object tag rules; throws `InvalidTag`. */
export function validateTags(tags: Record<string, string>, limit: number): void {
  const entries = Object.entries(tags);
  if (entries.length > limit) {
    throw invalidTag(`Object tags cannot be greater than ${limit}`);
  }
  for (const [key, value] of entries) {
    if (key.length === 0 || !TAG_CHARS.test(key)) {
      throw invalidTag('The TagKey you have provided is invalid');
    }
    if ([...key].length > TAG_KEY_MAX) {
      throw invalidTag(`The TagKey you have provided is too long, max ${TAG_KEY_MAX}`);
    }
    if (key.toLowerCase().startsWith('aws:')) {
      throw invalidTag('Your TagKey cannot be prefixed with aws:');
    }
    if (!TAG_CHARS.test(value)) {
      throw invalidTag('The TagValue you have provided is invalid');
    }
    if ([...value].length > TAG_VALUE_MAX) {
      throw invalidTag(`The TagValue you have provided is too long, max ${TAG_VALUE_MAX}`);
    }
  }
}
