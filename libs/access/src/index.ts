/**
 * @myfsio/access: bucket policies and ACLs (S3's resource-based access control). The stores and
 * their caches (BucketPolicyService, AclService, AccessChanges) and the pure ACL model: grants,
 * canned ACLs, `x-amz-grant-*` headers, and which ACL permission allows which IAM action.
 */

/** Nest module providing the services below; imports BucketsModule and ObjectsModule. */
export { AccessModule } from './access.module';
/** Change propagation: local at once, other gateways within IAM_REFRESH_INTERVAL_SECONDS. */
export { AccessChanges } from './access-changes';
/** The optional port that publishes changes to other gateways at once (bound to Redis by libs/core). */
export { AccessChangeBus } from './access-change-bus';
/** Put/Get/DeleteBucketPolicy, GetBucketPolicyStatus and the cached parsed policy per bucket. */
export { BucketPolicyService, MAX_POLICY_BYTES, POLICY_KIND } from './bucket-policy.service';
/** Admin presets over the bucket policy: anonymous access per bucket/prefix; Private/Public/Custom. */
export {
  BucketPresetsService,
  publicPolicy,
  type PolicyPreset,
  type PolicyPresetView,
} from './bucket-presets.service';
/** Get/PutBucketAcl, Get/PutObjectAcl, the ACL of a write request, decoded ACLs for the authorizer. */
export { AclService, hasAclHeaders, type ObjectAclResult } from './acl.service';
/** The ACL model (pure): permissions, grantees, canned ACLs, grant evaluation. */
export {
  ACL_GROUP_URIS,
  ACL_PERMISSIONS,
  aclGrants,
  aclIsPublic,
  aclPermissionFor,
  ALL_USERS_URI,
  AUTHENTICATED_USERS_URI,
  CANNED_ACLS,
  cannedAclGrants,
  defaultAcl,
  isCannedAcl,
  LOG_DELIVERY_URI,
  type AccessControlList,
  type AclCaller,
  type AclGrant,
  type AclGrantee,
  type AclPermission,
  type CannedAcl,
} from './acl';
/** `x-amz-acl` / `x-amz-grant-*` → grants; throws InvalidArgument / InvalidRequest. */
export { aclFromHeaders } from './acl-headers';
/** The `acl` column format: `{"grants": […]}`, owner taken from the row. */
export { decodeStoredAcl, encodeStoredAcl } from './stored-acl';
/** GetBucketPolicyStatus's IsPublic rule (pure). */
export { isPolicyPublic } from './policy-status';
