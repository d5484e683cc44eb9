import { decide } from './decide';
import { buildRequestContext } from './request-context';
import { ANONYMOUS, facts, policy } from './spec-helpers';

describe('buildRequestContext', () => {
  const now = new Date('2024-05-01T12:00:00.000Z');

  it('sets the global keys', () => {
    expect(buildRequestContext({ sourceIp: '192.0.2.1', isSecureTransport: false, now })).toEqual({
      'aws:SourceIp': '192.0.2.1',
      'aws:SecureTransport': 'false',
      'aws:CurrentTime': '2024-05-01T12:00:00.000Z',
      'aws:EpochTime': '1714564800',
    });
  });

  it('maps listing parameters, headers, version, auth and tags to S3 keys', () => {
    const context = buildRequestContext({
      sourceIp: '::1',
      isSecureTransport: true,
      now,
      query: new URLSearchParams('list-type=2&prefix=&delimiter=%2F&max-keys=10'),
      headers: { 'x-amz-acl': 'public-read', referer: 'https://example.com/', 'x-amz-date': 'ignored' },
      versionId: 'v1',
      auth: { type: 'REST-HEADER', signatureVersion: 'AWS4-HMAC-SHA256' },
      existingObjectTags: { env: 'prod' },
      requestObjectTags: { Owner: 'alice', Project: 'x' },
    });
    expect(context).toMatchObject({
      's3:prefix': '',
      's3:delimiter': '/',
      's3:max-keys': '10',
      's3:x-amz-acl': 'public-read',
      'aws:Referer': 'https://example.com/',
      's3:VersionId': 'v1',
      's3:authType': 'REST-HEADER',
      's3:signatureversion': 'AWS4-HMAC-SHA256',
      's3:ExistingObjectTag/env': 'prod',
      's3:RequestObjectTagKeys': ['Owner', 'Project'],
      's3:RequestObjectTag/Owner': 'alice',
    });
    expect(Object.keys(context)).not.toContain('s3:x-amz-date');
  });

  it('feeds a TLS-only bucket policy', () => {
    const bucket = policy(
      {
        Statement: [
          { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' },
          {
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: 'arn:aws:s3:::b/*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      },
      'bucket',
      'b',
    );
    const ask = (isSecureTransport: boolean) => {
      const context = buildRequestContext({ sourceIp: '192.0.2.1', isSecureTransport, now });
      return decide({ identity: [], bucket, isRoot: false }, facts('s3:GetObject', 'b/k', ANONYMOUS, context))
        .allowed;
    };
    expect(ask(true)).toBe(true);
    expect(ask(false)).toBe(false);
  });
});
