import { LifecycleRunner, type LifecycleRunStats } from '@myfsio/lifecycle';
import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminAuth } from '../auth/admin-auth.decorator';

@ApiTags('lifecycle')
@Controller('admin/lifecycle')
export class LifecycleController {
  constructor(private readonly runner: LifecycleRunner) {}

  @Post('run')
  @HttpCode(200)
  @AdminAuth('admin:RunLifecycle')
  @ApiOperation({
    summary:
      'Run lifecycle enforcement now (joins a run in progress in this process); answers when it is done',
  })
  @ApiOkResponse({
    description: 'What the run did: buckets scanned, objects expired, uploads aborted, errors',
  })
  run(): Promise<LifecycleRunStats> {
    return this.runner.run();
  }
}
