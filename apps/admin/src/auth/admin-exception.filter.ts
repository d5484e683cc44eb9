import { isS3Error } from '@myfsio/common';
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The admin API's error body. */
export interface AdminErrorBody {
  code: string;
  message: string;
  requestId: string;
}

const HTTP_CODES: Record<number, string> = {
  400: 'ValidationError',
  401: 'Unauthorized',
  403: 'AccessDenied',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'Conflict',
  413: 'PayloadTooLarge',
  415: 'UnsupportedMediaType',
};

/**
 * Every admin error as `{ code, message, requestId }`: S3Errors keep their code and status (so
 * InvalidAccessKeyId, SignatureDoesNotMatch and AccessDenied read as on the gateway), Nest's
 * HTTP exceptions keep their status (validation failures name the field and the reason), and
 * anything else is logged and becomes a 500 InternalError.
 */
@Catch()
export class AdminExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Admin');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const requestId = String(request.id);
    let status = 500;
    let body: AdminErrorBody = { code: 'InternalError', message: 'Internal error', requestId };
    if (isS3Error(error)) {
      status = error.status;
      body = { code: error.code, message: error.message, requestId };
    } else if (error instanceof HttpException) {
      status = error.getStatus();
      const response = error.getResponse();
      const detail =
        typeof response === 'object' && response !== null && 'message' in response
          ? response.message
          : error.message;
      const message = Array.isArray(detail) ? detail.map(String).join('; ') : String(detail);
      body = { code: HTTP_CODES[status] ?? `Http${status}`, message, requestId };
    } else {
      this.logger.error({ err: error, requestId }, 'admin request failed');
    }
    if (reply.sent) {
      return;
    }
    void reply.status(status).header('content-type', 'application/json').send(body);
  }
}
