import { GcService, type GcReport, type GcStatus } from '@myfsio/gc';
import type { MaintenanceRun } from '@myfsio/metadata';
import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminAuth } from '../auth/admin-auth.decorator';
import { GcRunDto, HistoryQueryDto, type HistoryPageBody } from './maintenance.dto';

/** The garbage collector's admin endpoints (docs/gc-and-integrity.md). */
@ApiTags('gc')
@Controller('admin/gc')
export class GcController {
  constructor(private readonly gc: GcService) {}

  @Get('status')
  @AdminAuth('admin:GetGcStatus')
  @ApiOperation({ summary: 'GC configuration, whether a run is under way, and the last run' })
  status(): Promise<GcStatus> {
    return this.gc.status();
  }

  @Post('run')
  @HttpCode(200)
  @AdminAuth('admin:RunGc')
  @ApiOperation({
    summary: 'Run the garbage collector now (`{"dry_run": true}` previews) and return its report',
  })
  run(@Body() body: GcRunDto): Promise<GcReport> {
    return this.gc.run({ dryRun: body.dry_run, trigger: 'manual' });
  }

  @Get('history')
  @AdminAuth('admin:GetGcHistory')
  @ApiOperation({ summary: 'Past GC runs, newest first (`?limit=50&offset=0`)' })
  async history(@Query() q: HistoryQueryDto): Promise<HistoryPageBody<MaintenanceRun>> {
    return { ...(await this.gc.historyPage(q.limit, q.offset)), limit: q.limit, offset: q.offset };
  }
}
