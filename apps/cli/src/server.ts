import { createAdminApp } from '../../admin/src/admin-app';
import { AppConfig } from '@myfsio/config';
import { BridgeModule, CoreModule, SHARED_SERVICES } from '@myfsio/core';
import { createGatewayApp } from '../../gateway/src/gateway-app';
import { IamService } from '@myfsio/iam';
import { createRootLogger, LoggingModule } from '@myfsio/logging';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { NestFactory } from '@nestjs/core';
import type { RunMode } from './cli-args';
import { printCredentials } from './credentials-output';

/** How long in-flight requests may take to finish after SIGTERM before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 25_000;

/**
 * Starts the requested apps in this process and wires graceful shutdown: on SIGTERM/SIGINT
 * stop accepting, let in-flight requests finish (bounded), then close the database and Redis.
 */
export async function serve(config: AppConfig, mode: RunMode): Promise<void> {
  const logger = createRootLogger(config);
  const core = CoreModule.forConfig(config);
  const closables: INestApplicationContext[] = [];

  let gateway: NestFastifyApplication | undefined;
  if (mode !== 'admin') {
    gateway = await createGatewayApp(config, [core, LoggingModule.forLogger(logger, 'none')], logger);
    closables.unshift(gateway);
  }
  const source: INestApplicationContext =
    gateway ?? (await NestFactory.createApplicationContext(core, { logger: false }));
  if (!gateway) {
    closables.unshift(source);
  }
  await source.init();

  const created = await source.get(IamService).bootstrapAdmin();
  if (created) {
    printCredentials('Created the admin user', created);
  }

  let admin: NestFastifyApplication | undefined;
  if (mode !== 'api') {
    admin = await createAdminApp(config, [
      BridgeModule.from(source, SHARED_SERVICES),
      LoggingModule.forLogger(logger),
    ]);
    closables.unshift(admin);
  }

  for (const [app, port, name] of [
    [gateway, config.server.apiPort, 'S3 gateway'],
    [admin, config.server.adminPort, 'admin app'],
  ] as const) {
    if (!app) {
      continue;
    }
    await app.listen({ port, host: config.server.host, backlog: config.server.backlog || undefined });
    if (config.server.connectionLimit > 0) {
      (app.getHttpServer() as { maxConnections?: number }).maxConnections = config.server.connectionLimit;
    }
    logger.info({ url: await app.getUrl() }, `${name} listening`);
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      return;
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.warn('in-flight requests did not finish in time; exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    void (async () => {
      // Close the listeners first (admin borrows the gateway's services), then the shared context.
      for (const app of closables) {
        await app.close().catch((err: unknown) => logger.error({ err }, 'error while closing'));
      }
      logger.flush();
      process.exit(0);
    })();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
