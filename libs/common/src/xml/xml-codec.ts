import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { S3Errors } from '../s3-errors';

export const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** A value the encoder writes: nested objects become elements, arrays repeat the element. */
export type XmlValue = string | number | boolean | Date | null | undefined | XmlObject | XmlValue[];
export interface XmlObject {
  [name: string]: XmlValue;
}

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
  // Numeric character references (&#34;) are how Go clients (rclone) escape quotes in ETags.
  htmlEntities: true,
  isArray: () => false,
});

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};
const NEEDS_ESCAPE = /[&<>"']/;
const ESCAPE_ALL = /[&<>"']/g;

function escapeText(text: string): string {
  return NEEDS_ESCAPE.test(text) ? text.replace(ESCAPE_ALL, (c) => ESCAPES[c] ?? c) : text;
}

function scalarText(value: string | number | boolean | Date): string {
  return value instanceof Date ? value.toISOString() : escapeText(String(value));
}

/**
 * Members named `@_attr` are written as attributes, a `#text` member as the element's text, and
 * a `#sequence` member (an array of objects) as the members of each of its objects in array
 * order: how differently named siblings are interleaved (ListVersionsResult's Version and
 * DeleteMarker entries in key order).
 */
const ATTRIBUTE_PREFIX = '@_';
const TEXT_MEMBER = '#text';
const SEQUENCE_MEMBER = '#sequence';

function openTag(name: string, element: XmlObject): string {
  let tag = `<${name}`;
  for (const member in element) {
    const value = element[member];
    if (
      member.startsWith(ATTRIBUTE_PREFIX) &&
      value !== undefined &&
      value !== null &&
      typeof value !== 'object'
    ) {
      tag += ` ${member.slice(ATTRIBUTE_PREFIX.length)}="${escapeText(String(value))}"`;
    }
  }
  return `${tag}>`;
}

/** Appends `<name>…</name>` for `value` (repeated for arrays; nothing for null/undefined). */
function writeElement(out: string[], name: string, value: XmlValue): void {
  if (value === undefined || value === null) {
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) {
      writeElement(out, name, item);
    }
    return;
  }
  if (typeof value === 'object' && !(value instanceof Date)) {
    out.push(openTag(name, value));
    writeChildren(out, value);
    out.push(`</${name}>`);
    return;
  }
  out.push(`<${name}>${scalarText(value)}</${name}>`);
}

function writeChildren(out: string[], element: XmlObject): void {
  for (const name in element) {
    const value = element[name];
    if (name === TEXT_MEMBER) {
      if (value !== undefined && value !== null && typeof value !== 'object') {
        out.push(scalarText(value));
      }
    } else if (name === SEQUENCE_MEMBER) {
      for (const item of Array.isArray(value) ? value : []) {
        if (typeof item === 'object' && item !== null && !Array.isArray(item) && !(item instanceof Date)) {
          writeChildren(out, item);
        }
      }
    } else if (!name.startsWith(ATTRIBUTE_PREFIX)) {
      writeElement(out, name, value);
    }
  }
}

/**
 * Encodes `body` as an S3 XML document with `root` as the document element.
 * `undefined`/`null` members are omitted; Dates are written in ISO 8601 with milliseconds;
 * text is escaped as XML 1.0 requires. Hand-written rather than a generic builder: a
 * 1000-entry listing is encoded on every page request, where the builder's generality cost
 * several milliseconds.
 */
export function encodeXml(root: string, body: XmlObject, options: { xmlns?: string | false } = {}): string {
  const xmlns = options.xmlns === undefined ? S3_XMLNS : options.xmlns;
  const element: XmlObject = xmlns ? { [`${ATTRIBUTE_PREFIX}xmlns`]: xmlns, ...body } : body;
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n', openTag(root, element)];
  writeChildren(out, element);
  out.push(`</${root}>`);
  return out.join('');
}

/**
 * Parses a small XML request body. Repeated elements come back as arrays, single ones as
 * objects or strings; callers normalise with {@link asArray}. Throws `MalformedXML`.
 */
export function parseXml(text: string): Record<string, unknown> {
  if (text.trim() === '') {
    throw S3Errors.malformedXml('empty body');
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw S3Errors.malformedXml(valid.err.msg);
  }
  return parser.parse(text) as Record<string, unknown>;
}

/** A parsed element that may be absent, single or repeated, as an array. */
export function asArray<T>(value: T | T[] | undefined | null): T[] {
  if (value === undefined || value === null || value === '') {
    return [];
  }
  return Array.isArray(value) ? value : [value];
}

/** A parsed element's text, or undefined when it is absent or not text. */
export function xmlText(value: unknown): string | undefined {
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  return undefined;
}
