import { ACL_PERMISSIONS, defaultAcl, type AccessControlList, type AclGrant } from './acl';

/**
 * How an ACL is kept in the `acl` columns of buckets and object versions: `{"grants": […]}`.
 * The owner is not stored: it is the row's owner, so an ownership change needs no rewrite.
 */
interface StoredAcl {
  grants: AclGrant[];
}

/** The column value for `grants`. */
export function encodeStoredAcl(grants: AclGrant[]): string {
  const stored: StoredAcl = { grants };
  return JSON.stringify(stored);
}

function isGrant(value: unknown): value is AclGrant {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const g = value as { grantee?: { type?: unknown; id?: unknown; uri?: unknown }; permission?: unknown };
  const grantee = g.grantee;
  return (
    (ACL_PERMISSIONS as readonly unknown[]).includes(g.permission) &&
    grantee !== undefined &&
    ((grantee.type === 'CanonicalUser' && typeof grantee.id === 'string') ||
      (grantee.type === 'Group' && typeof grantee.uri === 'string'))
  );
}

/**
 * The ACL of a row owned by `ownerId` from its column value; null or an unreadable value is the
 * default (owner FULL_CONTROL). Unreadable grants are dropped rather than trusted.
 */
export function decodeStoredAcl(column: string | null | undefined, ownerId: string): AccessControlList {
  if (column === null || column === undefined || column === '') {
    return defaultAcl(ownerId);
  }
  try {
    const parsed = JSON.parse(column) as Partial<StoredAcl>;
    const grants = Array.isArray(parsed.grants) ? parsed.grants.filter(isGrant) : [];
    return { owner: { id: ownerId }, grants };
  } catch {
    return defaultAcl(ownerId);
  }
}
