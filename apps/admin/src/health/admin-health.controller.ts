import { APP_VERSION } from '@myfsio/common';
import { ReadinessService } from '@myfsio/core';
import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck } from '@nestjs/terminus';

@ApiTags('health')
@Controller('health')
export class AdminHealthController {
  constructor(private readonly readiness: ReadinessService) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the admin app answers' })
  live(): { status: 'ok'; version: string } {
    return { status: 'ok', version: APP_VERSION };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: database, storage root and Redis (when configured) answer' })
  ready() {
    return this.readiness.check();
  }
}
