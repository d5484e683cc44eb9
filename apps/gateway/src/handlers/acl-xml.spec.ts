import { ALL_USERS_URI, cannedAclGrants } from '@myfsio/access';
import { encodeXml } from '@myfsio/common';
import { aclXml, parseAclBody } from './acl-xml';

const BODY = `<?xml version="1.0" encoding="UTF-8"?>
<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Owner><ID>owner</ID><DisplayName>o</DisplayName></Owner>
  <AccessControlList>
    <Grant>
      <Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>owner</ID></Grantee>
      <Permission>FULL_CONTROL</Permission>
    </Grant>
    <Grant>
      <Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group"><URI>${ALL_USERS_URI}</URI></Grantee>
      <Permission>READ</Permission>
    </Grant>
  </AccessControlList>
</AccessControlPolicy>`;

describe('parseAclBody', () => {
  it('reads CanonicalUser and Group grants (AWS PutBucketAcl example)', () => {
    expect(parseAclBody(BODY)).toEqual([
      { grantee: { type: 'CanonicalUser', id: 'owner' }, permission: 'FULL_CONTROL' },
      { grantee: { type: 'Group', uri: ALL_USERS_URI }, permission: 'READ' },
    ]);
  });

  it('returns MalformedACLError for an unknown permission', () => {
    expect(() => parseAclBody(BODY.replace('>READ<', '>EVERYTHING<'))).toThrow(
      expect.objectContaining({ code: 'MalformedACLError' }),
    );
  });

  it('returns MalformedACLError for another document', () => {
    expect(() => parseAclBody('<Tagging><TagSet/></Tagging>')).toThrow(
      expect.objectContaining({ code: 'MalformedACLError' }),
    );
  });

  it('returns MalformedXML for text that is not XML', () => {
    expect(() => parseAclBody('{"grants": []}')).toThrow(expect.objectContaining({ code: 'MalformedXML' }));
  });

  it('returns InvalidArgument for an e-mail grantee', () => {
    const body = BODY.replace('<ID>owner</ID></Grantee>', '<EmailAddress>a@b.c</EmailAddress></Grantee>');
    expect(() => parseAclBody(body)).toThrow(expect.objectContaining({ code: 'InvalidArgument' }));
  });
});

describe('aclXml', () => {
  it('writes the AccessControlPolicy with xsi:type grantees and reads back the same grants', () => {
    const grants = cannedAclGrants('public-read', 'owner', 'owner');
    const doc = aclXml({ owner: { id: 'owner' }, grants }, (id) =>
      id === 'owner' ? 'Owner Name' : undefined,
    );
    const xml = encodeXml(doc.root, doc.body);
    expect(xml).toContain('<Owner><ID>owner</ID><DisplayName>Owner Name</DisplayName></Owner>');
    expect(xml).toContain('xsi:type="Group"');
    expect(xml).toContain('xsi:type="CanonicalUser"');
    expect(parseAclBody(xml)).toEqual([
      {
        grantee: { type: 'CanonicalUser', id: 'owner', displayName: 'Owner Name' },
        permission: 'FULL_CONTROL',
      },
      { grantee: { type: 'Group', uri: ALL_USERS_URI }, permission: 'READ' },
    ]);
  });
});
