import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { requestLogLevel, requestLogSerializers } from './request-log';

/** How an app logs the requests it serves. */
export type RequestLogging =
  /**
   * pino-http as Nest middleware: a child logger per request, and every line logged while
   * serving a request carries its request id. Fine for the admin app.
   */
  | 'middleware'
  /**
   * No middleware: the app logs completion lines itself (see `logCompletedRequest`). The S3
   * gateway does this. The middleware keeps the request's logger in an AsyncLocalStorage,
   * which on Node 20 turns on promise hooks for the whole process: about a tenth of the main
   * thread's time per small request. Lines logged inside a gateway request name its id
   * explicitly (`requestId`) instead.
   */
  | 'none';

/** nestjs-pino wired to the shared root logger, so Nest's own lines go through pino too. */
@Module({})
export class LoggingModule {
  static forLogger(logger: Logger, requests: RequestLogging = 'middleware'): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          // An empty route list registers no middleware at all (not even a per-request check).
          ...(requests === 'none' ? { forRoutes: [] } : {}),
          pinoHttp: {
            logger,
            customLogLevel: (_req, res, err) => requestLogLevel(res.statusCode, err),
            serializers: requestLogSerializers,
          },
        }),
      ],
      exports: [LoggerModule],
    };
  }
}
