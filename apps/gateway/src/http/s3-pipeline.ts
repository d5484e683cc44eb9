import { AppConfig } from '@myfsio/config';
import { createVerifiedBody, RequestAuthenticator } from '@myfsio/auth';
import { Authorizer, IamService } from '@myfsio/iam';
import { Injectable, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { S3Handlers } from '../handlers/s3-handlers';
import { clientAddress } from './client-address';
import type { RequestContext } from './request-context';
import { resolveOperation } from './s3-operation';
import { sendError, sendResult, sendStsError } from './s3-responder';
import { readSmallBody } from './small-body';

/**
 * The S3 request pipeline as one explicit chain (versitygw style): resolve the operation,
 * authenticate, resolve the principal, authorize, wrap the body in its verifier, run the
 * handler, encode. It runs as a plain Fastify route rather than through Nest guards and
 * interceptors: the body must stay unread for streaming, and errors from any step need the
 * same S3 XML encoding, which one try/catch gives directly.
 */
@Injectable()
export class S3Pipeline {
  private readonly logger = new Logger('S3');

  constructor(
    private readonly config: AppConfig,
    private readonly authenticator: RequestAuthenticator,
    private readonly iam: IamService,
    private readonly authorizer: Authorizer,
    private readonly handlers: S3Handlers,
  ) {}

  async handle(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const raw = request.raw;
    const method = raw.method ?? 'GET';
    const rawUrl = raw.url ?? '/';
    const requestId = request.id;
    let resource = rawUrl.split('?')[0] ?? '/';
    let isSts = false;
    try {
      // 1. Resolve the operation from method, path/host and subresource.
      const op = resolveOperation({
        method,
        rawUrl,
        host: raw.headers.host,
        headers: raw.headers,
        domains: this.config.s3.domains,
      });
      resource = op.key !== undefined ? `/${op.bucket}/${op.key}` : op.bucket ? `/${op.bucket}` : '/';
      isSts = op.name === 'AssumeRole';
      // 2. Authenticate the request line and headers (the body is verified as it streams). An
      //    STS form post signs its body's hash without x-amz-content-sha256: read it (small) first.
      const preread = isSts ? await readSmallBody(raw) : undefined;
      const auth = await this.authenticator.authenticate({
        method,
        rawUrl,
        headers: raw.headers,
        rawHeaders: raw.rawHeaders,
        bucketFromHost: op.bucketFromHost ? op.bucket : undefined,
        bodySha256Hex: preread && createHash('sha256').update(preread).digest('hex'),
      });
      // 3. Who is calling: disabled, expired and locked-out identities stop here.
      const principal = await this.iam.principalFor(auth);
      const client = clientAddress(raw, this.config.server.trustedProxies);
      // 4. Authorize the operation for that principal.
      const authorization = {
        op,
        principal,
        sourceIp: client.ip,
        isSecureTransport: client.secure,
        headers: raw.headers,
        authScheme: auth.scheme,
      };
      await this.authorizer.authorize(authorization);
      // 5. The handler reads only the verified body.
      const source = preread
        ? Readable.from(preread.length > 0 ? [preread] : [], { objectMode: false })
        : raw;
      const verified = createVerifiedBody(source, auth, raw.headers);
      const ctx: RequestContext = {
        requestId,
        method,
        rawUrl,
        headers: raw.headers,
        sourceIp: client.ip,
        isSecureTransport: client.secure,
        op,
        auth,
        principal,
        body: verified.stream,
        bodyLength: verified.decodedLength,
        trailers: verified.trailers,
      };
      // 6. Run the handler; a missing key is told only to a caller who may list the bucket.
      const result = await this.handlers.run(ctx).catch(async (err: unknown) => {
        throw await this.authorizer.concealMissingKey(err, authorization);
      });
      sendResult(reply, method, requestId, result);
    } catch (err) {
      if (!(err instanceof Error) || err.name !== 'S3Error') {
        this.logger.error({ err, requestId }, 'request failed');
      }
      if (isSts) {
        sendStsError(reply, requestId, err);
      } else {
        sendError(reply, method, requestId, err, resource);
      }
    }
  }
}
