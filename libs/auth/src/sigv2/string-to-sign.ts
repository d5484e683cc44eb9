import type { RequestHeaders, RequestTarget } from '../request-parts';
import { percentDecode } from '../uri-encode';

/**
 * Sub-resources S3 includes in the SigV2 CanonicalizedResource, plus the response-* overrides.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/RESTAuthentication.html#ConstructingTheCanonicalizedResourceElement
 */
const SUBRESOURCES = new Set([
  'acl',
  'cors',
  'delete',
  'lifecycle',
  'location',
  'logging',
  'notification',
  'partNumber',
  'policy',
  'requestPayment',
  'restore',
  'tagging',
  'torrent',
  'uploadId',
  'uploads',
  'versionId',
  'versioning',
  'versions',
  'website',
  'response-cache-control',
  'response-content-disposition',
  'response-content-encoding',
  'response-content-language',
  'response-content-type',
  'response-expires',
]);

/** Later sub-resources that some SigV2 signers (botocore, MinIO clients) also include. */
const EXTENDED_SUBRESOURCES = new Set([
  ...SUBRESOURCES,
  'accelerate',
  'analytics',
  'encryption',
  'inventory',
  'legal-hold',
  'metrics',
  'object-lock',
  'ownershipControls',
  'publicAccessBlock',
  'replication',
  'retention',
  'select',
  'select-type',
]);

/** Which reading of the request a signer may have used; S3's documented one is the first. */
export interface SigV2Variant {
  /** Sign the percent-decoded path instead of the path as sent. */
  readonly decodePath: boolean;
  /** Include the later sub-resources as well. */
  readonly extendedSubresources: boolean;
  /**
   * Put the x-amz-date value on the Date line and leave it out of the x-amz-* headers, as the
   * Delete example of the SigV2 page does (the documented rule is an empty Date line instead).
   */
  readonly amzDateOnDateLine: boolean;
}

/** True when the query names a sub-resource only the extended list knows. */
export function hasExtendedSubresource(target: RequestTarget): boolean {
  return target.params.some((p) => EXTENDED_SUBRESOURCES.has(p.name) && !SUBRESOURCES.has(p.name));
}

/** '/bucket' (virtual host) + the path + the sorted sub-resources with decoded values. */
export function canonicalizedResource(
  target: RequestTarget,
  bucketFromHost: string | undefined,
  variant: SigV2Variant,
): string {
  const path = variant.decodePath ? percentDecode(target.rawPath) : target.rawPath;
  const names = variant.extendedSubresources ? EXTENDED_SUBRESOURCES : SUBRESOURCES;
  const subresources = target.params
    .filter((p) => names.has(p.name))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((p) => (p.rawValue === undefined ? p.name : `${p.name}=${p.value}`));
  const bucket = bucketFromHost === undefined ? '' : `/${bucketFromHost}`;
  return `${bucket}${path}${subresources.length > 0 ? `?${subresources.join('&')}` : ''}`;
}

/** "x-amz-name:value\n" for every x-amz-* header, sorted, repeated values joined with ','. */
export function canonicalizedAmzHeaders(headers: RequestHeaders, exclude?: string): string {
  return headers
    .names()
    .filter((name) => name.startsWith('x-amz-') && name !== exclude)
    .sort()
    .map((name) => `${name}:${(headers.combined(name) ?? '').replace(/\s*\r?\n\s*/g, ' ').trim()}\n`)
    .join('');
}

/** Inputs of the SigV2 string to sign. */
export interface SigV2Request {
  readonly method: string;
  readonly headers: RequestHeaders;
  readonly target: RequestTarget;
  readonly bucketFromHost: string | undefined;
  /** The Date line: the Date header ('' when x-amz-date is present), or Expires for query auth. */
  readonly dateLine: string;
  /** The x-amz-date header, when present. */
  readonly amzDate?: string;
}

/** The SigV2 string to sign for one variant. */
export function sigV2StringToSign(request: SigV2Request, variant: SigV2Variant): string {
  return [
    request.method,
    request.headers.get('content-md5') ?? '',
    request.headers.get('content-type') ?? '',
    variant.amzDateOnDateLine ? (request.amzDate ?? '') : request.dateLine,
    canonicalizedAmzHeaders(request.headers, variant.amzDateOnDateLine ? 'x-amz-date' : undefined) +
      canonicalizedResource(request.target, request.bucketFromHost, variant),
  ].join('\n');
}
