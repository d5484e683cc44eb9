import {
  ACL_GROUP_URIS,
  ACL_PERMISSIONS,
  type AccessControlList,
  type AclGrant,
  type AclGrantee,
  type AclPermission,
} from '@myfsio/access';
import { asArray, parseXml, S3Error, type XmlObject, xmlText } from '@myfsio/common';

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

function element(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function malformed(detail: string): S3Error {
  return new S3Error('MalformedACLError', {
    message: `${new S3Error('MalformedACLError').message} (${detail})`,
  });
}

function granteeXml(grantee: AclGrantee, displayNames: (id: string) => string | undefined): XmlObject {
  if (grantee.type === 'Group') {
    return { '@_xmlns:xsi': XSI, '@_xsi:type': 'Group', URI: grantee.uri };
  }
  return {
    '@_xmlns:xsi': XSI,
    '@_xsi:type': 'CanonicalUser',
    ID: grantee.id,
    DisplayName: grantee.displayName ?? displayNames(grantee.id),
  };
}

/**
 * The `AccessControlPolicy` document of GetBucketAcl/GetObjectAcl: Owner, then one Grant per
 * grant with an `xsi:type` Grantee (CanonicalUser with ID, Group with URI), as S3 writes it.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketAcl.html
 */
export function aclXml(
  acl: AccessControlList,
  displayNames: (id: string) => string | undefined = () => undefined,
): { root: string; body: XmlObject } {
  return {
    root: 'AccessControlPolicy',
    body: {
      Owner: { ID: acl.owner.id, DisplayName: acl.owner.displayName ?? displayNames(acl.owner.id) },
      AccessControlList: {
        Grant: acl.grants.map((g) => ({
          Grantee: granteeXml(g.grantee, displayNames),
          Permission: g.permission,
        })),
      },
    },
  };
}

function parseGrantee(raw: unknown): AclGrantee {
  const grantee = element(raw);
  if (grantee === undefined) {
    throw malformed('each Grant needs a Grantee');
  }
  // The parser drops attributes, so the grantee's kind is read from what it carries (ID / URI).
  const id = xmlText(grantee.ID);
  const uri = xmlText(grantee.URI);
  if (id !== undefined && id !== '') {
    const displayName = xmlText(grantee.DisplayName);
    return displayName === undefined
      ? { type: 'CanonicalUser', id }
      : { type: 'CanonicalUser', id, displayName };
  }
  if (uri !== undefined) {
    if (!ACL_GROUP_URIS.includes(uri)) {
      throw new S3Error('InvalidArgument', { message: 'Invalid group uri', fields: { ArgumentName: 'uri' } });
    }
    return { type: 'Group', uri };
  }
  if (grantee.EmailAddress !== undefined) {
    throw new S3Error('InvalidArgument', {
      message: 'Grants by e-mail address are not supported; use the canonical user ID.',
    });
  }
  throw malformed('a Grantee needs an ID or a URI');
}

/**
 * The grants of a PutBucketAcl/PutObjectAcl `AccessControlPolicy` body. Throws MalformedXML for
 * text that is not XML, MalformedACLError for another shape or an unknown Permission, and
 * InvalidArgument for an unknown group or an e-mail grantee.
 */
export function parseAclBody(text: string): AclGrant[] {
  const doc = element(parseXml(text).AccessControlPolicy);
  if (doc === undefined) {
    throw malformed('expected an AccessControlPolicy element');
  }
  const list = doc.AccessControlList;
  if (list === undefined) {
    throw malformed('expected an AccessControlList element');
  }
  return asArray(element(list)?.Grant).map((raw) => {
    const grant = element(raw);
    const permission = xmlText(grant?.Permission);
    if (permission === undefined || !(ACL_PERMISSIONS as readonly string[]).includes(permission)) {
      throw malformed(`unknown Permission ${permission ?? '(none)'}`);
    }
    return { grantee: parseGrantee(grant?.Grantee), permission: permission as AclPermission };
  });
}
