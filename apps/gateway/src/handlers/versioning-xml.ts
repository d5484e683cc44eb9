import { parseXml, S3Errors, xmlText } from '@myfsio/common';

/** What a PutBucketVersioning body asks for. */
export interface VersioningRequest {
  /** `Enabled` or `Suspended`; undefined when the body leaves the state as it is. */
  status?: 'Enabled' | 'Suspended';
}

/**
 * `<VersioningConfiguration><Status>Enabled|Suspended</Status><MfaDelete/></VersioningConfiguration>`
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketVersioning.html). Throws
 * `MalformedXML` for another shape or status, and `NotImplemented` for MFA delete (`MfaDelete`
 * Enabled or an `x-amz-mfa` header), which needs MFA devices this store does not have.
 */
export function parseVersioningBody(text: string, mfaHeader: string | undefined): VersioningRequest {
  const doc = parseXml(text);
  const root = doc.VersioningConfiguration;
  if (
    root === undefined ||
    (root !== '' && (typeof root !== 'object' || root === null || Array.isArray(root)))
  ) {
    throw S3Errors.malformedXml('expected one VersioningConfiguration element');
  }
  const fields = root === '' ? {} : (root as Record<string, unknown>);
  const mfaDelete = fields.MfaDelete === undefined ? undefined : xmlText(fields.MfaDelete);
  if (mfaDelete !== undefined && mfaDelete !== 'Enabled' && mfaDelete !== 'Disabled') {
    throw S3Errors.malformedXml('MfaDelete must be Enabled or Disabled');
  }
  if (mfaDelete === 'Enabled' || mfaHeader !== undefined) {
    throw S3Errors.notImplemented('MFA delete');
  }
  if (fields.Status === undefined) {
    return {};
  }
  const status = xmlText(fields.Status);
  if (status !== 'Enabled' && status !== 'Suspended') {
    throw S3Errors.malformedXml('Status must be Enabled or Suspended');
  }
  return { status };
}
