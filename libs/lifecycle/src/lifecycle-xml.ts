import { asArray, parseXml, S3Errors, type XmlObject, xmlText } from '@myfsio/common';
import { randomBytes } from 'node:crypto';
import type {
  LifecycleAndOperator,
  LifecycleConfiguration,
  LifecycleExpiration,
  LifecycleRule,
  LifecycleRuleFilter,
  LifecycleTag,
} from './lifecycle.types';
import { validateLifecycleRules } from './lifecycle-validation';

/** An element's children by name, or undefined when it is text or absent. `<X/>` parses as ''. */
type Element = Record<string, unknown>;

function children(value: unknown, name: string): Element {
  if (value === '' || value === undefined) {
    return {};
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw S3Errors.malformedXml(`${name} must hold elements`);
  }
  return value as Element;
}

/** Refuses elements the schema does not have there, as S3 does (MalformedXML). */
function onlyKnown(element: Element, where: string, known: readonly string[]): void {
  for (const name of Object.keys(element)) {
    if (!known.includes(name)) {
      throw S3Errors.malformedXml(`unexpected element ${name} in ${where}`);
    }
  }
}

/** A child that may appear at most once; absent → undefined. */
function single(element: Element, name: string): unknown {
  const value = element[name];
  if (Array.isArray(value)) {
    throw S3Errors.malformedXml(`${name} may appear only once`);
  }
  return value;
}

function text(element: Element, name: string): string | undefined {
  const value = single(element, name);
  if (value === undefined) {
    return undefined;
  }
  const t = xmlText(value);
  if (t === undefined) {
    throw S3Errors.malformedXml(`${name} must be text`);
  }
  return t;
}

/** An xsd:int (S3 parses these strictly: anything else is MalformedXML). */
function integer(element: Element, name: string): number | undefined {
  const t = text(element, name);
  if (t === undefined) {
    return undefined;
  }
  if (!/^[+-]?\d+$/.test(t.trim()) || Math.abs(Number(t)) > 2 ** 31 - 1) {
    throw S3Errors.malformedXml(`${name} must be an integer`);
  }
  return Number(t);
}

/** An xsd:long (object sizes). */
function long(element: Element, name: string): number | undefined {
  const t = text(element, name);
  if (t === undefined) {
    return undefined;
  }
  if (!/^[+-]?\d+$/.test(t.trim()) || !Number.isSafeInteger(Number(t))) {
    throw S3Errors.malformedXml(`${name} must be an integer`);
  }
  return Number(t);
}

function tag(value: unknown): LifecycleTag {
  const element = children(value, 'Tag');
  onlyKnown(element, 'Tag', ['Key', 'Value']);
  const Key = text(element, 'Key');
  const Value = text(element, 'Value');
  if (Key === undefined || Value === undefined) {
    throw S3Errors.malformedXml('each Tag needs a Key and a Value');
  }
  return { Key, Value };
}

function andOperator(value: unknown): LifecycleAndOperator {
  const element = children(value, 'And');
  onlyKnown(element, 'And', ['Prefix', 'Tag', 'ObjectSizeGreaterThan', 'ObjectSizeLessThan']);
  return dropUndefined({
    Prefix: text(element, 'Prefix'),
    Tags: asArray(element['Tag']).map(tag),
    ObjectSizeGreaterThan: long(element, 'ObjectSizeGreaterThan'),
    ObjectSizeLessThan: long(element, 'ObjectSizeLessThan'),
  });
}

function filter(value: unknown): LifecycleRuleFilter {
  const element = children(value, 'Filter');
  onlyKnown(element, 'Filter', ['Prefix', 'Tag', 'ObjectSizeGreaterThan', 'ObjectSizeLessThan', 'And']);
  // LifecycleRuleFilter is a union: one predicate, or And to combine several.
  if (Object.keys(element).length > 1) {
    throw S3Errors.malformedXml('a Filter holds one predicate; combine several with And');
  }
  const rawTag = single(element, 'Tag');
  const rawAnd = single(element, 'And');
  return dropUndefined({
    Prefix: text(element, 'Prefix'),
    Tag: rawTag === undefined ? undefined : tag(rawTag),
    ObjectSizeGreaterThan: long(element, 'ObjectSizeGreaterThan'),
    ObjectSizeLessThan: long(element, 'ObjectSizeLessThan'),
    And: rawAnd === undefined ? undefined : andOperator(rawAnd),
  });
}

function bool(element: Element, name: string): boolean | undefined {
  const t = text(element, name);
  if (t === undefined) {
    return undefined;
  }
  const lower = t.trim().toLowerCase();
  if (lower !== 'true' && lower !== 'false') {
    throw S3Errors.malformedXml(`${name} must be true or false`);
  }
  return lower === 'true';
}

/** ISO 8601 date or date-time, as the xsd:dateTime S3 takes; the midnight rule is validation's. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function date(element: Element, name: string): Date | undefined {
  const t = text(element, name)?.trim();
  if (t === undefined) {
    return undefined;
  }
  // A date-time without a zone is UTC here (JavaScript would read it as local time).
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(t);
  const parsed = new Date(t.includes('T') && !hasZone ? `${t}Z` : t);
  if (!ISO_DATE.test(t) || Number.isNaN(parsed.getTime())) {
    throw S3Errors.malformedXml(`${name} must be an ISO 8601 date`);
  }
  return parsed;
}

function expiration(value: unknown): LifecycleExpiration {
  const element = children(value, 'Expiration');
  onlyKnown(element, 'Expiration', ['Days', 'Date', 'ExpiredObjectDeleteMarker']);
  return dropUndefined({
    Days: integer(element, 'Days'),
    Date: date(element, 'Date')?.toISOString(),
    ExpiredObjectDeleteMarker: bool(element, 'ExpiredObjectDeleteMarker'),
  });
}

/** Actions MyFSIO does not have: one storage class, so nothing to transition to. */
const TRANSITIONS = [
  'Transition',
  'Transitions',
  'NoncurrentVersionTransition',
  'NoncurrentVersionTransitions',
];

const RULE_ELEMENTS = [
  'ID',
  'Status',
  'Prefix',
  'Filter',
  'Expiration',
  'NoncurrentVersionExpiration',
  'AbortIncompleteMultipartUpload',
  ...TRANSITIONS,
];

/** S3 names a rule sent without an ID with a random one (about 48 characters). */
function generatedRuleId(): string {
  return randomBytes(30).toString('base64url').toUpperCase().slice(0, 40);
}

function rule(value: unknown): LifecycleRule {
  const element = children(value, 'Rule');
  onlyKnown(element, 'Rule', RULE_ELEMENTS);
  if (TRANSITIONS.some((name) => element[name] !== undefined)) {
    throw S3Errors.invalidRequest(
      'Transition and NoncurrentVersionTransition actions are not supported: MyFSIO keeps every object in one storage class (STANDARD).',
    );
  }
  const status = text(element, 'Status');
  if (status !== 'Enabled' && status !== 'Disabled') {
    throw S3Errors.malformedXml('Status must be Enabled or Disabled');
  }
  if (element['Prefix'] !== undefined && element['Filter'] !== undefined) {
    throw S3Errors.malformedXml('Prefix and Filter cannot both be specified in a Rule');
  }
  const rawFilter = single(element, 'Filter');
  const rawExpiration = single(element, 'Expiration');
  const nve = children(single(element, 'NoncurrentVersionExpiration'), 'NoncurrentVersionExpiration');
  onlyKnown(nve, 'NoncurrentVersionExpiration', ['NoncurrentDays', 'NewerNoncurrentVersions']);
  const abort = children(single(element, 'AbortIncompleteMultipartUpload'), 'AbortIncompleteMultipartUpload');
  onlyKnown(abort, 'AbortIncompleteMultipartUpload', ['DaysAfterInitiation']);
  const noncurrentDays = integer(nve, 'NoncurrentDays');
  const daysAfterInitiation = integer(abort, 'DaysAfterInitiation');
  if (element['NoncurrentVersionExpiration'] !== undefined && noncurrentDays === undefined) {
    throw S3Errors.malformedXml('NoncurrentVersionExpiration needs NoncurrentDays');
  }
  if (element['AbortIncompleteMultipartUpload'] !== undefined && daysAfterInitiation === undefined) {
    throw S3Errors.malformedXml('AbortIncompleteMultipartUpload needs DaysAfterInitiation');
  }
  return dropUndefined({
    ID: text(element, 'ID') ?? generatedRuleId(),
    Status: status,
    Prefix: text(element, 'Prefix'),
    Filter: rawFilter === undefined ? undefined : filter(rawFilter),
    Expiration: rawExpiration === undefined ? undefined : expiration(rawExpiration),
    NoncurrentVersionExpiration:
      noncurrentDays === undefined
        ? undefined
        : dropUndefined({
            NoncurrentDays: noncurrentDays,
            NewerNoncurrentVersions: integer(nve, 'NewerNoncurrentVersions'),
          }),
    AbortIncompleteMultipartUpload:
      daysAfterInitiation === undefined ? undefined : { DaysAfterInitiation: daysAfterInitiation },
  });
}

/**
 * Parses and validates a PutBucketLifecycleConfiguration body
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLifecycleConfiguration.html).
 * Throws MalformedXML for a document that is not a LifecycleConfiguration of Rules (unknown
 * elements, repeated single elements, bad numbers, dates or Status), InvalidRequest for
 * Transition actions (not supported) and the S3 rule errors of {@link validateLifecycleRules}.
 * Pure.
 */
export function parseLifecycleConfiguration(xml: string): LifecycleConfiguration {
  const doc = parseXml(xml);
  if (doc['LifecycleConfiguration'] === undefined) {
    throw S3Errors.malformedXml('expected a LifecycleConfiguration element');
  }
  const root = children(doc['LifecycleConfiguration'], 'LifecycleConfiguration');
  onlyKnown(root, 'LifecycleConfiguration', ['Rule']);
  const raw = asArray(root['Rule']);
  if (raw.length === 0) {
    throw S3Errors.malformedXml('a LifecycleConfiguration needs at least one Rule');
  }
  const config = { Rules: raw.map(rule) };
  validateLifecycleRules(config);
  return config;
}

function tagXml(t: LifecycleTag): XmlObject {
  return { Key: t.Key, Value: t.Value };
}

function filterXml(f: LifecycleRuleFilter): XmlObject {
  return {
    Prefix: f.Prefix,
    Tag: f.Tag === undefined ? undefined : tagXml(f.Tag),
    ObjectSizeGreaterThan: f.ObjectSizeGreaterThan,
    ObjectSizeLessThan: f.ObjectSizeLessThan,
    And:
      f.And === undefined
        ? undefined
        : {
            Prefix: f.And.Prefix,
            Tag: f.And.Tags.map(tagXml),
            ObjectSizeGreaterThan: f.And.ObjectSizeGreaterThan,
            ObjectSizeLessThan: f.And.ObjectSizeLessThan,
          },
  };
}

/** The GetBucketLifecycleConfiguration document (`LifecycleConfiguration` with its Rules). Pure. */
export function lifecycleConfigurationXml(config: LifecycleConfiguration): { root: string; body: XmlObject } {
  const rules = config.Rules.map((r): XmlObject => ({
    ID: r.ID,
    Filter: r.Filter === undefined ? undefined : filterXml(r.Filter),
    Prefix: r.Prefix,
    Status: r.Status,
    Expiration:
      r.Expiration === undefined
        ? undefined
        : {
            Days: r.Expiration.Days,
            Date: r.Expiration.Date,
            ExpiredObjectDeleteMarker: r.Expiration.ExpiredObjectDeleteMarker,
          },
    NoncurrentVersionExpiration:
      r.NoncurrentVersionExpiration === undefined
        ? undefined
        : {
            NoncurrentDays: r.NoncurrentVersionExpiration.NoncurrentDays,
            NewerNoncurrentVersions: r.NoncurrentVersionExpiration.NewerNoncurrentVersions,
          },
    AbortIncompleteMultipartUpload: r.AbortIncompleteMultipartUpload
      ? { DaysAfterInitiation: r.AbortIncompleteMultipartUpload.DaysAfterInitiation }
      : undefined,
  }));
  return { root: 'LifecycleConfiguration', body: { Rule: rules } };
}

/** A copy of `value` without its undefined members (stored documents stay minimal). */
function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
