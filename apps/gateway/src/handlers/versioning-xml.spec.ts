import { parseVersioningBody } from './versioning-xml';

const NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';

describe('parseVersioningBody', () => {
  it('reads Enabled and Suspended', () => {
    expect(
      parseVersioningBody(
        `<VersioningConfiguration ${NS}><Status>Enabled</Status></VersioningConfiguration>`,
        undefined,
      ),
    ).toEqual({ status: 'Enabled' });
    expect(
      parseVersioningBody(
        '<VersioningConfiguration><Status>Suspended</Status><MfaDelete>Disabled</MfaDelete></VersioningConfiguration>',
        undefined,
      ),
    ).toEqual({ status: 'Suspended' });
  });

  it('leaves the state alone without a Status', () => {
    expect(parseVersioningBody('<VersioningConfiguration/>', undefined)).toEqual({});
  });

  it('returns MalformedXML for an unknown status or another root', () => {
    expect(() =>
      parseVersioningBody(
        '<VersioningConfiguration><Status>On</Status></VersioningConfiguration>',
        undefined,
      ),
    ).toThrow(expect.objectContaining({ code: 'MalformedXML' }));
    expect(() => parseVersioningBody('<Versioning><Status>Enabled</Status></Versioning>', undefined)).toThrow(
      expect.objectContaining({ code: 'MalformedXML' }),
    );
    expect(() => parseVersioningBody('not xml', undefined)).toThrow(
      expect.objectContaining({ code: 'MalformedXML' }),
    );
  });

  it('returns NotImplemented for MFA delete', () => {
    expect(() =>
      parseVersioningBody(
        '<VersioningConfiguration><Status>Enabled</Status><MfaDelete>Enabled</MfaDelete></VersioningConfiguration>',
        undefined,
      ),
    ).toThrow(expect.objectContaining({ code: 'NotImplemented' }));
    expect(() =>
      parseVersioningBody(
        '<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>',
        'SERIAL 123456',
      ),
    ).toThrow(expect.objectContaining({ code: 'NotImplemented' }));
  });
});
