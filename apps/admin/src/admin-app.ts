import { APP_NAME, APP_VERSION } from '@myfsio/common';
import type { AppConfig } from '@myfsio/config';
import { type DynamicModule, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { Logger } from 'nestjs-pino';
import { AdminModule } from './admin.module';
import { AdminExceptionFilter } from './auth/admin-exception.filter';

/** Builds the admin application (not yet listening) with its OpenAPI document at /docs. */
export async function createAdminApp(
  _config: AppConfig,
  imports: DynamicModule[],
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    logger: false,
    genReqId: () => randomUUID(),
  });
  adapter.getInstance().addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  const app = await NestFactory.create<NestFastifyApplication>(AdminModule.register(imports), adapter, {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  app.useGlobalFilters(new AdminExceptionFilter());
  // DTOs are class-validator classes: unknown fields and wrong types are a 400 naming the field.
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(`${APP_NAME} admin API`)
      .setVersion(APP_VERSION)
      .setDescription('Administration of users, policies, buckets and background jobs.')
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Access-Key' }, 'accessKey')
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Secret-Key' }, 'secretKey')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}
