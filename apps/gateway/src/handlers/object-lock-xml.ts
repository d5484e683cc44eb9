import type { DefaultRetention, ObjectLockConfiguration } from '@myfsio/buckets';
import { parseXml, S3Error, S3Errors, type XmlObject, xmlText } from '@myfsio/common';
import { parseLegalHoldStatus, parseLockMode, parseRetainUntil, type Retention } from '@myfsio/objects';

type Fields = Record<string, unknown>;

function element(value: unknown): Fields | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : undefined;
}

/**
 * The document of a configuration body: S3's XML, or the JSON form the MyFSIO docs show (a body
 * starting with `{`), both as nested records of strings. Throws MalformedXML when neither parses
 * or the root element is not `root`. An empty root element (`<Retention/>`) is an empty record.
 */
function readDocument(text: string, root: string): Fields {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch {
      throw S3Errors.malformedXml('the body is neither XML nor valid JSON');
    }
    const doc = element(json);
    if (doc === undefined) {
      throw S3Errors.malformedXml('the JSON body must be an object');
    }
    return element(doc[root]) ?? doc;
  }
  const doc = parseXml(text)[root];
  if (doc === '') {
    return {};
  }
  const fields = element(doc);
  if (fields === undefined) {
    throw S3Errors.malformedXml(`expected one ${root} element`);
  }
  return fields;
}

/** Text of an XML element or a JSON scalar; undefined when absent. */
function text(value: unknown): string | undefined {
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  return value === undefined ? undefined : xmlText(value);
}

/** A positive whole number of days or years, or InvalidArgument as S3 answers. */
function period(value: string, name: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 36500) {
    throw S3Errors.invalidArgument(name, value, 'Default retention period must be a positive integer value.');
  }
  return n;
}

/**
 * PutObjectLockConfiguration's body
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectLockConfiguration.html):
 * `ObjectLockEnabled` must be `Enabled`; an optional `Rule.DefaultRetention` has a `Mode` and
 * exactly one of `Days` or `Years`. MalformedXML for another shape, InvalidArgument for a period
 * that is not a positive integer.
 */
export function parseObjectLockConfiguration(body: string): ObjectLockConfiguration {
  const doc = readDocument(body, 'ObjectLockConfiguration');
  if (text(doc.ObjectLockEnabled) !== 'Enabled') {
    throw S3Errors.malformedXml('ObjectLockEnabled must be Enabled');
  }
  if (doc.Rule === undefined) {
    return { rule: null };
  }
  const retention = element(element(doc.Rule)?.DefaultRetention);
  if (retention === undefined) {
    throw S3Errors.malformedXml('Rule must hold a DefaultRetention');
  }
  const mode = text(retention.Mode);
  const days = text(retention.Days);
  const years = text(retention.Years);
  if (mode === undefined || (days === undefined) === (years === undefined)) {
    throw S3Errors.malformedXml('DefaultRetention needs a Mode and exactly one of Days or Years');
  }
  let parsedMode;
  try {
    parsedMode = parseLockMode(mode, 'Mode');
  } catch {
    throw S3Errors.malformedXml('Mode must be GOVERNANCE or COMPLIANCE');
  }
  const rule: DefaultRetention =
    days !== undefined
      ? { mode: parsedMode, days: period(days, 'Days') }
      : { mode: parsedMode, years: period(years!, 'Years') };
  return { rule };
}

/** GetObjectLockConfiguration's `<ObjectLockConfiguration>`. */
export function objectLockConfigurationXml(config: ObjectLockConfiguration): {
  root: string;
  body: XmlObject;
} {
  const rule = config.rule;
  return {
    root: 'ObjectLockConfiguration',
    body: {
      ObjectLockEnabled: 'Enabled',
      Rule:
        rule === null
          ? undefined
          : { DefaultRetention: { Mode: rule.mode, Days: rule.days, Years: rule.years } },
    },
  };
}

/**
 * PutObjectRetention's body: `<Retention><Mode/><RetainUntilDate/></Retention>` (or JSON). An
 * empty Retention removes the retention (null). MalformedXML when only one of the two is given,
 * InvalidArgument for an unknown mode or a date that is not ISO 8601.
 */
export function parseRetention(body: string): Retention | null {
  const doc = readDocument(body, 'Retention');
  const mode = text(doc.Mode);
  const until = text(doc.RetainUntilDate);
  if (mode === undefined && until === undefined) {
    return null;
  }
  if (mode === undefined || until === undefined) {
    throw S3Errors.malformedXml('Retention needs both Mode and RetainUntilDate');
  }
  return { mode: parseLockMode(mode, 'Mode'), retainUntil: parseRetainUntil(until, 'RetainUntilDate') };
}

/** GetObjectRetention's `<Retention>`. */
export function retentionXml(retention: Retention): { root: string; body: XmlObject } {
  return {
    root: 'Retention',
    body: { Mode: retention.mode, RetainUntilDate: retention.retainUntil.toISOString() },
  };
}

/** PutObjectLegalHold's body: `<LegalHold><Status>ON|OFF</Status></LegalHold>` (or JSON); true for ON. */
export function parseLegalHold(body: string): boolean {
  const status = text(readDocument(body, 'LegalHold').Status);
  if (status === undefined) {
    throw new S3Error('MalformedXML', { message: 'LegalHold needs a Status' });
  }
  return parseLegalHoldStatus(status, 'Status');
}

/** GetObjectLegalHold's `<LegalHold>`. */
export function legalHoldXml(isOn: boolean): { root: string; body: XmlObject } {
  return { root: 'LegalHold', body: { Status: isOn ? 'ON' : 'OFF' } };
}
