'use strict';
// A minimal AWS Signature Version 4 signer for the benchmark's own requests. The SDK's signer
// costs more client CPU per request than a 4 KiB PUT costs the server, which would skew the
// small-object figures on a 2-core machine; this one caches the signing key per day and signs
// with UNSIGNED-PAYLOAD (what SDKs send over TLS), so the server checks the signature but does
// not hash the body with SHA-256.
const { createHash, createHmac } = require('node:crypto');

const REGION = 'us-east-1';
const SERVICE = 's3';
const UNSIGNED = 'UNSIGNED-PAYLOAD';

/** RFC 3986 encoding as SigV4 defines it (unreserved: A-Z a-z 0-9 - _ . ~). */
function encodeRfc3986(text) {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Encodes a key for a request path: each segment encoded, slashes kept. */
function encodePath(path) {
  return path.split('/').map(encodeRfc3986).join('/');
}

/** Builds the query string of `params` (an object; `''` values become `name=`), sorted by name. */
function canonicalQuery(params) {
  return Object.keys(params)
    .sort()
    .map((name) => `${encodeRfc3986(name)}=${encodeRfc3986(String(params[name]))}`)
    .join('&');
}

function hmac(key, text) {
  return createHmac('sha256', key).update(text).digest();
}

/**
 * Returns `sign(method, encodedPath, query, headers)`, which adds `x-amz-date`,
 * `x-amz-content-sha256` and `authorization` to `headers` (a plain object with lower-case
 * names; `host` must be present). `query` is the already canonical query string.
 */
function createSigner(accessKeyId, secretAccessKey) {
  let keyDay = '';
  let signingKey = null;
  return function sign(method, encodedPath, query, headers) {
    const amzDate = new Date()
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
    const day = amzDate.slice(0, 8);
    if (day !== keyDay) {
      const kDate = hmac(`AWS4${secretAccessKey}`, day);
      signingKey = hmac(hmac(hmac(kDate, REGION), SERVICE), 'aws4_request');
      keyDay = day;
    }
    headers['x-amz-date'] = amzDate;
    headers['x-amz-content-sha256'] = UNSIGNED;
    const names = Object.keys(headers)
      .map((n) => n.toLowerCase())
      .filter((n) => n === 'host' || n.startsWith('x-amz-') || n === 'content-md5' || n === 'content-type')
      .sort();
    const canonicalHeaders = names.map((n) => `${n}:${String(headers[n]).trim()}\n`).join('');
    const signedHeaders = names.join(';');
    const canonicalRequest = [method, encodedPath, query, canonicalHeaders, signedHeaders, UNSIGNED].join(
      '\n',
    );
    const scope = `${day}/${REGION}/${SERVICE}/aws4_request`;
    const stringToSign = [
      'AWS4-HMAC-SHA256',
      amzDate,
      scope,
      createHash('sha256').update(canonicalRequest).digest('hex'),
    ].join('\n');
    const signature = createHmac('sha256', signingKey).update(stringToSign).digest('hex');
    headers.authorization =
      `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${scope}, ` +
      `SignedHeaders=${signedHeaders}, Signature=${signature}`;
  };
}

module.exports = { createSigner, encodePath, canonicalQuery };
