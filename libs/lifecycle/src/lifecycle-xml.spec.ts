import { encodeXml, S3Error } from '@myfsio/common';
import { lifecycleConfigurationXml, parseLifecycleConfiguration } from './lifecycle-xml';

function errorOf(fn: () => unknown): { code: string; message: string } | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof S3Error
      ? { code: err.code, message: err.message }
      : { code: 'not an S3Error', message: '' };
  }
}

const doc = (rules: string) =>
  `<LifecycleConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${rules}</LifecycleConfiguration>`;
const rule = (inner: string, id = 'r1', status = 'Enabled') =>
  `<Rule><ID>${id}</ID><Status>${status}</Status>${inner}</Rule>`;
const days = (n: number | string) => `<Expiration><Days>${n}</Days></Expiration>`;

describe('parseLifecycleConfiguration', () => {
  it('reads every filter form and action', () => {
    const config = parseLifecycleConfiguration(
      doc(
        rule(`<Prefix>logs/</Prefix>${days(3)}`, 'legacy') +
          rule(
            `<Filter><Prefix>tmp/</Prefix></Filter><Expiration><Date>2030-01-01T00:00:00Z</Date></Expiration>`,
            'date',
          ) +
          rule(`<Filter><Tag><Key>k</Key><Value>v</Value></Tag></Filter>${days(1)}`, 'tag') +
          rule(
            `<Filter><And><Prefix>a/</Prefix><Tag><Key>x</Key><Value>1</Value></Tag><Tag><Key>y</Key><Value></Value></Tag>` +
              `<ObjectSizeGreaterThan>10</ObjectSizeGreaterThan><ObjectSizeLessThan>100</ObjectSizeLessThan></And></Filter>` +
              `<NoncurrentVersionExpiration><NoncurrentDays>7</NoncurrentDays><NewerNoncurrentVersions>2</NewerNoncurrentVersions></NoncurrentVersionExpiration>`,
            'and',
            'Disabled',
          ) +
          rule(
            `<Filter/><AbortIncompleteMultipartUpload><DaysAfterInitiation>2</DaysAfterInitiation></AbortIncompleteMultipartUpload>`,
            'mpu',
          ) +
          rule(
            `<Filter><ObjectSizeGreaterThan>5</ObjectSizeGreaterThan></Filter><Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>`,
            'dm',
          ),
      ),
    );
    expect(config.Rules).toEqual([
      { ID: 'legacy', Status: 'Enabled', Prefix: 'logs/', Expiration: { Days: 3 } },
      {
        ID: 'date',
        Status: 'Enabled',
        Filter: { Prefix: 'tmp/' },
        Expiration: { Date: '2030-01-01T00:00:00.000Z' },
      },
      { ID: 'tag', Status: 'Enabled', Filter: { Tag: { Key: 'k', Value: 'v' } }, Expiration: { Days: 1 } },
      {
        ID: 'and',
        Status: 'Disabled',
        Filter: {
          And: {
            Prefix: 'a/',
            Tags: [
              { Key: 'x', Value: '1' },
              { Key: 'y', Value: '' },
            ],
            ObjectSizeGreaterThan: 10,
            ObjectSizeLessThan: 100,
          },
        },
        NoncurrentVersionExpiration: { NoncurrentDays: 7, NewerNoncurrentVersions: 2 },
      },
      {
        ID: 'mpu',
        Status: 'Enabled',
        Filter: {},
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 2 },
      },
      {
        ID: 'dm',
        Status: 'Enabled',
        Filter: { ObjectSizeGreaterThan: 5 },
        Expiration: { ExpiredObjectDeleteMarker: true },
      },
    ]);
  });

  it('round-trips through the response document', () => {
    const xml = doc(
      rule(`<Prefix>logs/</Prefix>${days(3)}`, 'legacy') +
        rule(
          `<Filter><And><Prefix>a/</Prefix><Tag><Key>x</Key><Value>1</Value></Tag><Tag><Key>y</Key><Value>2</Value></Tag></And></Filter>` +
            `<Expiration><Date>2030-01-01T00:00:00.000Z</Date></Expiration>` +
            `<NoncurrentVersionExpiration><NoncurrentDays>7</NoncurrentDays></NoncurrentVersionExpiration>`,
          'all',
        ) +
        rule(
          `<Filter></Filter>${days(1)}<AbortIncompleteMultipartUpload><DaysAfterInitiation>2</DaysAfterInitiation></AbortIncompleteMultipartUpload>`,
          'empty',
        ),
    );
    const first = parseLifecycleConfiguration(xml);
    const { root, body } = lifecycleConfigurationXml(first);
    const encoded = encodeXml(root, body);
    expect(encoded).toContain('<Filter></Filter>');
    expect(parseLifecycleConfiguration(encoded)).toEqual(first);
  });

  it('accepts a rule without Filter or Prefix, and names a rule sent without an ID', () => {
    const config = parseLifecycleConfiguration(doc(`<Rule><Status>Enabled</Status>${days(1)}</Rule>`));
    expect(config.Rules[0]?.ID).toMatch(/^[A-Z0-9_-]{20,255}$/);
    expect(config.Rules[0]?.Filter).toBeUndefined();
  });

  it('reads a date without a zone as UTC and a bare date as midnight UTC', () => {
    const config = parseLifecycleConfiguration(
      doc(
        rule('<Filter/><Expiration><Date>2031-02-03T00:00:00</Date></Expiration>', 'a') +
          rule('<Filter/><Expiration><Date>2031-02-04</Date></Expiration>', 'b'),
      ),
    );
    expect(config.Rules.map((r) => r.Expiration?.Date)).toEqual([
      '2031-02-03T00:00:00.000Z',
      '2031-02-04T00:00:00.000Z',
    ]);
  });

  const thousandAndOne = doc(
    Array.from({ length: 1001 }, (_, i) => rule(`<Filter/>${days(1)}`, `r${i}`)).join(''),
  );

  it.each([
    ['an empty body', '', 'MalformedXML'],
    ['broken XML', '<LifecycleConfiguration><Rule>', 'MalformedXML'],
    ['another root element', '<Lifecycle><Rule/></Lifecycle>', 'MalformedXML'],
    ['no rules', doc(''), 'MalformedXML'],
    ['an unknown element in a rule', doc(rule(`<Filter/>${days(1)}<Colour>red</Colour>`)), 'MalformedXML'],
    ['a missing Status', doc(`<Rule><ID>x</ID><Filter/>${days(1)}</Rule>`), 'MalformedXML'],
    ['a bad Status', doc(rule(`<Filter/>${days(1)}`, 'x', 'enabled')), 'MalformedXML'],
    ['Prefix and Filter together', doc(rule(`<Prefix>a</Prefix><Filter/>${days(1)}`)), 'MalformedXML'],
    [
      'two predicates without And',
      doc(rule(`<Filter><Prefix>a</Prefix><ObjectSizeLessThan>5</ObjectSizeLessThan></Filter>${days(1)}`)),
      'MalformedXML',
    ],
    ['Days that is not a number', doc(rule(`<Filter/>${days('one')}`)), 'MalformedXML'],
    [
      'Days and Date together',
      doc(rule('<Filter/><Expiration><Days>1</Days><Date>2030-01-01T00:00:00Z</Date></Expiration>')),
      'MalformedXML',
    ],
    ['an empty Expiration', doc(rule('<Filter/><Expiration></Expiration>')), 'MalformedXML'],
    [
      'a Date that is not a date',
      doc(rule('<Filter/><Expiration><Date>tomorrow</Date></Expiration>')),
      'MalformedXML',
    ],
    [
      'ExpiredObjectDeleteMarker not a boolean',
      doc(
        rule('<Filter/><Expiration><ExpiredObjectDeleteMarker>yes</ExpiredObjectDeleteMarker></Expiration>'),
      ),
      'MalformedXML',
    ],
    [
      'NoncurrentVersionExpiration without NoncurrentDays',
      doc(rule('<Filter/><NoncurrentVersionExpiration></NoncurrentVersionExpiration>')),
      'MalformedXML',
    ],
    ['a Tag without Value', doc(rule(`<Filter><Tag><Key>k</Key></Tag></Filter>${days(1)}`)), 'MalformedXML'],
    [
      'a repeated ID element',
      doc(`<Rule><ID>a</ID><ID>b</ID><Status>Enabled</Status><Filter/>${days(1)}</Rule>`),
      'MalformedXML',
    ],
    [
      'a Transition',
      doc(rule('<Filter/><Transition><Days>30</Days><StorageClass>GLACIER</StorageClass></Transition>')),
      'InvalidRequest',
    ],
    [
      'a NoncurrentVersionTransition',
      doc(
        rule(
          `<Filter/>${days(60)}<NoncurrentVersionTransition><NoncurrentDays>30</NoncurrentDays><StorageClass>GLACIER</StorageClass></NoncurrentVersionTransition>`,
        ),
      ),
      'InvalidRequest',
    ],
    ['more than 1000 rules', thousandAndOne, 'InvalidArgument'],
  ])('returns %s as %s', (_name, xml, code) => {
    expect(errorOf(() => parseLifecycleConfiguration(xml))?.code).toBe(code);
  });

  it.each([
    [
      'an ID over 255 characters',
      doc(rule(`<Filter/>${days(1)}`, 'x'.repeat(256))),
      'InvalidArgument',
      'ID length should not exceed allowed limit of 255',
    ],
    [
      'duplicate IDs',
      doc(rule(`<Filter/>${days(1)}`, 'same') + rule(`<Filter/>${days(2)}`, 'same')),
      'InvalidArgument',
      'Rule ID must be unique. Found same ID for more than one rule',
    ],
    [
      'Days of 0',
      doc(rule(`<Filter/>${days(0)}`)),
      'InvalidArgument',
      "'Days' for Expiration action must be a positive integer",
    ],
    [
      'negative Days',
      doc(rule(`<Filter/>${days(-3)}`)),
      'InvalidArgument',
      "'Days' for Expiration action must be a positive integer",
    ],
    [
      'a Date not at midnight',
      doc(rule('<Filter/><Expiration><Date>2030-01-01T10:00:00Z</Date></Expiration>')),
      'InvalidArgument',
      "'Date' must be at midnight GMT",
    ],
    [
      'NoncurrentDays of 0',
      doc(
        rule(
          '<Filter/><NoncurrentVersionExpiration><NoncurrentDays>0</NoncurrentDays></NoncurrentVersionExpiration>',
        ),
      ),
      'InvalidArgument',
      "'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer",
    ],
    [
      'NewerNoncurrentVersions of 0',
      doc(
        rule(
          '<Filter/><NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays><NewerNoncurrentVersions>0</NewerNoncurrentVersions></NoncurrentVersionExpiration>',
        ),
      ),
      'InvalidArgument',
      "'NewerNoncurrentVersions' for NoncurrentVersionExpiration action must be a positive integer",
    ],
    [
      'NewerNoncurrentVersions over 100',
      doc(
        rule(
          '<Filter/><NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays><NewerNoncurrentVersions>101</NewerNoncurrentVersions></NoncurrentVersionExpiration>',
        ),
      ),
      'InvalidArgument',
      "'NewerNoncurrentVersions' for NoncurrentVersionExpiration action must not exceed 100",
    ],
    [
      'DaysAfterInitiation of 0',
      doc(
        rule(
          '<Filter/><AbortIncompleteMultipartUpload><DaysAfterInitiation>0</DaysAfterInitiation></AbortIncompleteMultipartUpload>',
        ),
      ),
      'InvalidArgument',
      "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer",
    ],
    [
      'size bounds in the wrong order',
      doc(
        rule(
          `<Filter><And><ObjectSizeGreaterThan>10</ObjectSizeGreaterThan><ObjectSizeLessThan>10</ObjectSizeLessThan></And></Filter>${days(1)}`,
        ),
      ),
      'InvalidArgument',
      'ObjectSizeGreaterThan must be less than ObjectSizeLessThan',
    ],
    [
      'a rule without an action',
      doc(rule('<Filter/>')),
      'InvalidRequest',
      'At least one action needs to be specified in a rule',
    ],
    [
      'ExpiredObjectDeleteMarker with Days',
      doc(
        rule(
          '<Filter/><Expiration><Days>1</Days><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>',
        ),
      ),
      'InvalidRequest',
      'ExpiredObjectDeleteMarker cannot be specified with Days or Date in a Lifecycle Expiration Policy.',
    ],
    [
      'ExpiredObjectDeleteMarker with a tag filter',
      doc(
        rule(
          '<Filter><Tag><Key>k</Key><Value>v</Value></Tag></Filter><Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>',
        ),
      ),
      'InvalidRequest',
      'ExpiredObjectDeleteMarker cannot be specified with a tag-based filter.',
    ],
    [
      'AbortIncompleteMultipartUpload with a tag filter',
      doc(
        rule(
          '<Filter><Tag><Key>k</Key><Value>v</Value></Tag></Filter><AbortIncompleteMultipartUpload><DaysAfterInitiation>1</DaysAfterInitiation></AbortIncompleteMultipartUpload>',
        ),
      ),
      'InvalidRequest',
      'AbortIncompleteMultipartUpload cannot be specified with Tags.',
    ],
    [
      'AbortIncompleteMultipartUpload with a size filter',
      doc(
        rule(
          '<Filter><ObjectSizeLessThan>5</ObjectSizeLessThan></Filter><AbortIncompleteMultipartUpload><DaysAfterInitiation>1</DaysAfterInitiation></AbortIncompleteMultipartUpload>',
        ),
      ),
      'InvalidRequest',
      'AbortIncompleteMultipartUpload cannot be specified with an object size filter.',
    ],
    [
      'duplicate tag keys',
      doc(
        rule(
          `<Filter><And><Tag><Key>k</Key><Value>1</Value></Tag><Tag><Key>k</Key><Value>2</Value></Tag></And></Filter>${days(1)}`,
        ),
      ),
      'InvalidRequest',
      'Duplicate Tag Keys are not allowed.',
    ],
  ])('returns %s as %s with S3 message', (_name, xml, code, message) => {
    expect(errorOf(() => parseLifecycleConfiguration(xml))).toEqual({ code, message });
  });
});
