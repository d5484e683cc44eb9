import { S3Client } from '@aws-sdk/client-s3';
import type { RunningServer } from './server';

/** An SDK v3 client against a running server, path-style, with the given credentials (admin by default). */
export function s3Client(
  server: RunningServer,
  creds?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
): S3Client {
  return new S3Client({
    endpoint: server.apiUrl,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: creds ?? { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
    maxAttempts: 1,
  });
}

let counter = 0;
/** A fresh, valid bucket name. */
export function bucketName(prefix = 'b'): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}`;
}

/** An SDK v3 client that sends unsigned (anonymous) requests, as a browser or `curl` would. */
export function anonymousS3Client(server: RunningServer): S3Client {
  return new S3Client({
    endpoint: server.apiUrl,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'anonymous', secretAccessKey: 'anonymous' },
    signer: { sign: (request) => Promise.resolve(request) },
    maxAttempts: 1,
  });
}
