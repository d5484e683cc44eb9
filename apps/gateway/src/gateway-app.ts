import type { AppConfig } from '@myfsio/config';
import { logCompletedRequest } from '@myfsio/logging';
import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import type { Logger as PinoLogger } from 'pino';
import { GatewayModule } from './gateway.module';
import { nextRequestId } from './http/request-id';
import { S3Pipeline } from './http/s3-pipeline';

const S3_METHODS = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'] as const;

/** Fastify options shared by both apps: S3 keys need long, unnormalised paths. */
export function fastifyOptions(config: AppConfig) {
  return {
    exposeHeadRoutes: false,
    routerOptions: { ignoreTrailingSlash: false, ignoreDuplicateSlashes: false, maxParamLength: 16384 },
    keepAliveTimeout: config.server.channelTimeoutSeconds * 1000,
    connectionTimeout: 0,
    requestTimeout: 0,
    forceCloseConnections: 'idle' as const,
    return503OnClosing: true,
    logger: false,
  };
}

/**
 * Builds the gateway application (not yet listening). Bodies are never parsed by Fastify:
 * a catch-all content-type parser leaves them unread so the pipeline can stream and verify.
 */
export async function createGatewayApp(
  config: AppConfig,
  imports: DynamicModule[],
  logger: PinoLogger,
): Promise<NestFastifyApplication> {
  // Fastify's request id is the S3 request id: completion lines and the pipeline's error
  // lines carry the same id the client sees in x-amz-request-id.
  const adapter = new FastifyAdapter({ ...fastifyOptions(config), genReqId: () => nextRequestId() });
  const fastify = adapter.getInstance();
  const app = await NestFactory.create<NestFastifyApplication>(GatewayModule.register(imports), adapter, {
    bodyParser: false,
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  // The gateway logs completions from a hook rather than through pino-http middleware (see
  // RequestLogging in @myfsio/logging for why).
  fastify.addHook('onResponse', (request, reply, done) => {
    logCompletedRequest(logger, request, reply);
    done();
  });
  // The pipeline reads and verifies request bodies itself (from request.raw). Declaring the
  // body methods bodyless makes Fastify call the handler at once instead of running a
  // content-type parser, which wraps each request in an AsyncResource (~20 µs of a PUT). The
  // catch-all parser stays for any body method Fastify still routes through parsing.
  for (const method of ['PUT', 'POST', 'DELETE']) {
    fastify.addHttpMethod(method, { hasBody: false, overrideExisting: true });
  }
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', (_request, _payload, done) => done(null));
  const pipeline = app.get(S3Pipeline);
  for (const url of ['/', '/*']) {
    fastify.route({
      method: [...S3_METHODS],
      url,
      // Returning the reply tells Fastify the response is under way: a stream sent from an
      // async handler that resolves to undefined would otherwise be replaced by an empty body.
      handler: async (request, reply) => {
        await pipeline.handle(request, reply);
        return reply;
      },
    });
  }
  return app;
}
