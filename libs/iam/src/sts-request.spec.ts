import { encodeXml, S3Error } from '@myfsio/common';
import { assumeRoleResponseBody, parseAssumeRoleParams, STS_XMLNS, stsErrorBody } from './sts-request';

const params = (extra: Record<string, string> = {}) =>
  new URLSearchParams({ Action: 'AssumeRole', Version: '2011-06-15', ...extra });

describe('parseAssumeRoleParams', () => {
  it('defaults DurationSeconds to 3600 and accepts RoleArn and RoleSessionName', () => {
    expect(parseAssumeRoleParams(params({ RoleArn: 'arn:x:y', RoleSessionName: 'app-1' }))).toEqual({
      durationSeconds: 3600,
      policy: undefined,
      roleArn: 'arn:x:y',
      roleSessionName: 'app-1',
    });
  });

  it.each([
    ['900', 900],
    ['604800', 604800],
  ])('accepts DurationSeconds %s', (value, expected) => {
    expect(parseAssumeRoleParams(params({ DurationSeconds: value })).durationSeconds).toBe(expected);
  });

  it.each(['899', '604801', 'abc', '-5', '1e4', ''])(
    'returns ValidationError for DurationSeconds %p',
    (value) => {
      expect(() => parseAssumeRoleParams(params({ DurationSeconds: value }))).toThrow(
        expect.objectContaining({ code: 'ValidationError', status: 400 }),
      );
    },
  );

  it('names the constraint in the message, as STS does', () => {
    expect(() => parseAssumeRoleParams(params({ DurationSeconds: '100' }))).toThrow(
      "1 validation error detected: Value '100' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    );
  });

  it('returns InvalidAction for another Action and MissingParameter without Version', () => {
    expect(() =>
      parseAssumeRoleParams(new URLSearchParams({ Action: 'GetCallerIdentity', Version: '2011-06-15' })),
    ).toThrow(expect.objectContaining({ code: 'InvalidAction' }));
    expect(() => parseAssumeRoleParams(new URLSearchParams({ Action: 'AssumeRole' }))).toThrow(
      expect.objectContaining({ code: 'MissingParameter' }),
    );
    expect(() => parseAssumeRoleParams(params({ Version: '2010-01-01' }))).toThrow(
      expect.objectContaining({ code: 'InvalidParameterValue' }),
    );
  });

  it('refuses a policy longer than 2048 characters and a bad session name', () => {
    expect(() => parseAssumeRoleParams(params({ Policy: 'x'.repeat(2049) }))).toThrow(
      expect.objectContaining({ code: 'ValidationError' }),
    );
    expect(() => parseAssumeRoleParams(params({ RoleSessionName: 'a b' }))).toThrow(
      expect.objectContaining({ code: 'ValidationError' }),
    );
    expect(parseAssumeRoleParams(params({ Policy: '{"a":1}' })).policy).toBe('{"a":1}');
  });

  it('names the failed constraint of a session name: length before pattern', () => {
    const message = (name: string) => {
      try {
        parseAssumeRoleParams(params({ RoleSessionName: name }));
        return 'accepted';
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(message('r')).toBe(
      "1 validation error detected: Value 'r' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2",
    );
    expect(message('x'.repeat(65))).toMatch(/Member must have length less than or equal to 64$/);
    expect(message('a b')).toMatch(/Member must satisfy regular expression pattern: \[\\w\+=,\.@-\]\*$/);
    expect(message('ab')).toBe('accepted');
    expect(message('x'.repeat(64))).toBe('accepted');
  });
});

describe('STS XML', () => {
  it('encodes AssumeRoleResponse as AWS does, Expiration without milliseconds', () => {
    const xml = encodeXml(
      'AssumeRoleResponse',
      assumeRoleResponseBody(
        {
          accessKeyId: 'MTKEY',
          secretAccessKey: 'secret',
          sessionToken: 'token',
          expiration: new Date('2026-01-01T01:00:00.000Z'),
          assumedRoleArn: 'arn:aws:sts::000000000000:assumed-role/u/s',
          assumedRoleId: 'id:s',
        },
        'req-1',
      ),
      { xmlns: STS_XMLNS },
    );
    expect(xml).toContain('<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">');
    expect(xml).toContain(
      '<Credentials><AccessKeyId>MTKEY</AccessKeyId><SecretAccessKey>secret</SecretAccessKey><SessionToken>token</SessionToken><Expiration>2026-01-01T01:00:00Z</Expiration></Credentials>',
    );
    expect(xml).toContain(
      '<AssumedRoleUser><Arn>arn:aws:sts::000000000000:assumed-role/u/s</Arn><AssumedRoleId>id:s</AssumedRoleId></AssumedRoleUser>',
    );
    expect(xml).toContain('<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>');
  });

  it('encodes errors as ErrorResponse with Sender or Receiver', () => {
    const sender = encodeXml(
      'ErrorResponse',
      stsErrorBody(new S3Error('ValidationError', { message: 'bad' }), 'r'),
      {
        xmlns: STS_XMLNS,
      },
    );
    expect(sender).toContain(
      '<Error><Type>Sender</Type><Code>ValidationError</Code><Message>bad</Message></Error><RequestId>r</RequestId>',
    );
    expect(stsErrorBody(new S3Error('InternalError'), 'r').Error.Type).toBe('Receiver');
  });
});
