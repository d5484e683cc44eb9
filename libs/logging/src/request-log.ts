import type { Level, Logger } from 'pino';

/** The level of a request's completion line: errors stand out, 4xx at info, the rest at debug. */
export function requestLogLevel(statusCode: number, err?: unknown): Level {
  if (err || statusCode >= 500) {
    return 'error';
  }
  return statusCode >= 400 ? 'info' : 'debug';
}

/** What a completion line says of the request: never its headers (they carry credentials). */
export const requestLogSerializers = {
  req: (req: { method: string; url: string; id: string }) => ({
    id: req.id,
    method: req.method,
    url: req.url,
  }),
  res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
};

/** The parts of a Fastify request and reply a completion line needs. */
export interface CompletedRequest {
  id: string;
  method: string;
  url: string;
}
export interface CompletedReply {
  statusCode: number;
  elapsedTime: number;
}

/**
 * Logs one completed request as pino-http does (`req`, `res`, `responseTime`,
 * "request completed"), but only when its level is enabled: on the S3 hot path the line is
 * at debug level and usually off, so this costs a level check and nothing else.
 */
export function logCompletedRequest(logger: Logger, request: CompletedRequest, reply: CompletedReply): void {
  const level = requestLogLevel(reply.statusCode);
  if (!logger.isLevelEnabled(level)) {
    return;
  }
  logger[level](
    {
      req: requestLogSerializers.req(request),
      res: requestLogSerializers.res(reply),
      responseTime: Math.round(reply.elapsedTime),
    },
    'request completed',
  );
}
