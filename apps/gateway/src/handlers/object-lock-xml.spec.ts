import { encodeXml } from '@myfsio/common';
import {
  legalHoldXml,
  objectLockConfigurationXml,
  parseLegalHold,
  parseObjectLockConfiguration,
  parseRetention,
  retentionXml,
} from './object-lock-xml';

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
};

describe('parseObjectLockConfiguration', () => {
  it('reads S3 XML with a Days or Years rule, or without a rule', () => {
    expect(
      parseObjectLockConfiguration(
        '<ObjectLockConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention><Mode>GOVERNANCE</Mode><Days>30</Days></DefaultRetention></Rule></ObjectLockConfiguration>',
      ),
    ).toEqual({ rule: { mode: 'GOVERNANCE', days: 30 } });
    expect(
      parseObjectLockConfiguration(
        '<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention><Mode>COMPLIANCE</Mode><Years>2</Years></DefaultRetention></Rule></ObjectLockConfiguration>',
      ),
    ).toEqual({ rule: { mode: 'COMPLIANCE', years: 2 } });
    expect(
      parseObjectLockConfiguration(
        '<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled></ObjectLockConfiguration>',
      ),
    ).toEqual({ rule: null });
  });

  it('reads the JSON form of the MyFSIO docs', () => {
    expect(
      parseObjectLockConfiguration(
        JSON.stringify({
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 30 } },
        }),
      ),
    ).toEqual({ rule: { mode: 'GOVERNANCE', days: 30 } });
  });

  it('returns MalformedXML for a missing Enabled, both Days and Years, none, or an unknown mode', () => {
    const doc = (inner: string, enabled = 'Enabled') =>
      `<ObjectLockConfiguration><ObjectLockEnabled>${enabled}</ObjectLockEnabled>${inner}</ObjectLockConfiguration>`;
    expect(code(() => parseObjectLockConfiguration(doc('', 'Disabled')))).toBe('MalformedXML');
    expect(
      code(() =>
        parseObjectLockConfiguration(
          doc(
            '<Rule><DefaultRetention><Mode>GOVERNANCE</Mode><Days>1</Days><Years>1</Years></DefaultRetention></Rule>',
          ),
        ),
      ),
    ).toBe('MalformedXML');
    expect(
      code(() =>
        parseObjectLockConfiguration(
          doc('<Rule><DefaultRetention><Mode>GOVERNANCE</Mode></DefaultRetention></Rule>'),
        ),
      ),
    ).toBe('MalformedXML');
    expect(
      code(() =>
        parseObjectLockConfiguration(
          doc('<Rule><DefaultRetention><Mode>STRICT</Mode><Days>1</Days></DefaultRetention></Rule>'),
        ),
      ),
    ).toBe('MalformedXML');
    expect(code(() => parseObjectLockConfiguration('{not json'))).toBe('MalformedXML');
  });

  it('returns InvalidArgument for a period that is not a positive integer', () => {
    expect(
      code(() =>
        parseObjectLockConfiguration(
          '<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention><Mode>GOVERNANCE</Mode><Days>0</Days></DefaultRetention></Rule></ObjectLockConfiguration>',
        ),
      ),
    ).toBe('InvalidArgument');
  });

  it('encodes the configuration', () => {
    const { root, body } = objectLockConfigurationXml({ rule: { mode: 'COMPLIANCE', years: 1 } });
    const xml = encodeXml(root, body);
    expect(xml).toContain('<ObjectLockEnabled>Enabled</ObjectLockEnabled>');
    expect(xml).toContain(
      '<Rule><DefaultRetention><Mode>COMPLIANCE</Mode><Years>1</Years></DefaultRetention></Rule>',
    );
    const empty = objectLockConfigurationXml({ rule: null });
    expect(encodeXml(empty.root, empty.body)).not.toContain('Rule');
  });
});

describe('retention and legal hold bodies', () => {
  it('reads a Retention in XML and JSON, and an empty one as removal', () => {
    const expected = { mode: 'COMPLIANCE', retainUntil: new Date('2030-12-31T23:59:59Z') };
    expect(
      parseRetention(
        '<Retention><Mode>COMPLIANCE</Mode><RetainUntilDate>2030-12-31T23:59:59Z</RetainUntilDate></Retention>',
      ),
    ).toEqual(expected);
    expect(parseRetention('{"Mode": "COMPLIANCE", "RetainUntilDate": "2030-12-31T23:59:59Z"}')).toEqual(
      expected,
    );
    expect(parseRetention('<Retention/>')).toBeNull();
  });

  it('returns MalformedXML for half a Retention and InvalidArgument for a bad mode or date', () => {
    expect(code(() => parseRetention('<Retention><Mode>COMPLIANCE</Mode></Retention>'))).toBe('MalformedXML');
    expect(
      code(() =>
        parseRetention(
          '<Retention><Mode>X</Mode><RetainUntilDate>2030-01-01T00:00:00Z</RetainUntilDate></Retention>',
        ),
      ),
    ).toBe('InvalidArgument');
    expect(
      code(() =>
        parseRetention(
          '<Retention><Mode>GOVERNANCE</Mode><RetainUntilDate>soon</RetainUntilDate></Retention>',
        ),
      ),
    ).toBe('InvalidArgument');
  });

  it('reads a LegalHold in XML and JSON', () => {
    expect(parseLegalHold('<LegalHold><Status>ON</Status></LegalHold>')).toBe(true);
    expect(parseLegalHold('{"Status": "OFF"}')).toBe(false);
    expect(code(() => parseLegalHold('<LegalHold/>'))).toBe('MalformedXML');
    expect(code(() => parseLegalHold('<LegalHold><Status>on</Status></LegalHold>'))).toBe('InvalidArgument');
  });

  it('encodes Retention and LegalHold', () => {
    const r = retentionXml({ mode: 'GOVERNANCE', retainUntil: new Date('2030-01-01T00:00:00Z') });
    expect(encodeXml(r.root, r.body)).toContain(
      '<Retention xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Mode>GOVERNANCE</Mode><RetainUntilDate>2030-01-01T00:00:00.000Z</RetainUntilDate></Retention>',
    );
    const h = legalHoldXml(true);
    expect(encodeXml(h.root, h.body)).toContain('<Status>ON</Status>');
  });
});
