import { IntegrityService, type IntegrityReport, type IntegrityStatus } from '@myfsio/integrity';
import type { MaintenanceRun } from '@myfsio/metadata';
import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminAuth } from '../auth/admin-auth.decorator';
import { HistoryQueryDto, IntegrityRunDto, type HistoryPageBody } from './maintenance.dto';

/** The integrity scanner's admin endpoints (docs/gc-and-integrity.md). */
@ApiTags('integrity')
@Controller('admin/integrity')
export class IntegrityController {
  constructor(private readonly integrity: IntegrityService) {}

  @Get('status')
  @AdminAuth('admin:GetIntegrityStatus')
  @ApiOperation({
    summary: 'Scanner configuration, scan position (cursor), and the last run with its counts',
  })
  status(): Promise<IntegrityStatus> {
    return this.integrity.status();
  }

  @Post('run')
  @HttpCode(200)
  @AdminAuth('admin:RunIntegrityScan')
  @ApiOperation({ summary: 'Scan now (`{"dry_run": true, "auto_heal": true}`) and return the report' })
  run(@Body() body: IntegrityRunDto): Promise<IntegrityReport> {
    return this.integrity.run({ dryRun: body.dry_run, autoHeal: body.auto_heal, trigger: 'manual' });
  }

  @Get('history')
  @AdminAuth('admin:GetIntegrityHistory')
  @ApiOperation({ summary: 'Past scans, newest first (`?limit=50&offset=0`)' })
  async history(@Query() q: HistoryQueryDto): Promise<HistoryPageBody<MaintenanceRun>> {
    return { ...(await this.integrity.historyPage(q.limit, q.offset)), limit: q.limit, offset: q.offset };
  }
}
