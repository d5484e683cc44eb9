import { APP_VERSION } from '@myfsio/common';
import { ReadinessService } from '@myfsio/core';
import { Controller, Get, HttpCode } from '@nestjs/common';
import { HealthCheck } from '@nestjs/terminus';

/** Health endpoints of the gateway: MyFSIO's own and the MinIO-style probes load balancers know. */
@Controller()
export class GatewayHealthController {
  constructor(private readonly readiness: ReadinessService) {}

  @Get('myfsio/health')
  health(): { status: 'ok'; version: string } {
    return { status: 'ok', version: APP_VERSION };
  }

  /** Liveness: the process answers. */
  @Get('minio/health/live')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: database, storage root and (when configured) Redis all answer; 503 otherwise. */
  @Get('minio/health/ready')
  @HealthCheck()
  ready() {
    return this.readiness.check();
  }
}
