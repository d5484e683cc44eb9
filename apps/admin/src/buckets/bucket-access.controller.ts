import { BucketPresetsService } from '@myfsio/access';
import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminAuth } from '../auth/admin-auth.decorator';
import {
  AnonymousAccessQuery,
  AnonymousAccessView,
  PolicyPresetResponse,
  SetAnonymousAccessDto,
  SetPolicyPresetDto,
} from './bucket-access.dto';

/**
 * Bucket access presets. Both write the bucket policy that PutBucketPolicy writes, so a preset
 * shows in GetBucketPolicy and takes effect on the gateway at once.
 */
@ApiTags('buckets')
@Controller('admin/buckets/:bucket')
export class BucketAccessController {
  constructor(private readonly presets: BucketPresetsService) {}

  @Get('anonymous')
  @AdminAuth('s3:GetBucketPolicy')
  @ApiOperation({ summary: 'The anonymous access level (none/download/upload/public) of a bucket or prefix' })
  @ApiOkResponse({ type: AnonymousAccessView })
  async getAnonymous(
    @Param('bucket') bucket: string,
    @Query() q: AnonymousAccessQuery,
  ): Promise<AnonymousAccessView> {
    const prefix = q.prefix ?? '';
    return { bucket, prefix, access: await this.presets.getAnonymousAccess(bucket, prefix) };
  }

  @Put('anonymous')
  @AdminAuth('s3:PutBucketPolicy')
  @ApiOperation({
    summary: 'Sets the anonymous access level of a bucket or prefix (other statements are kept)',
  })
  @ApiOkResponse({ type: AnonymousAccessView })
  async setAnonymous(
    @Param('bucket') bucket: string,
    @Body() dto: SetAnonymousAccessDto,
  ): Promise<AnonymousAccessView> {
    const prefix = dto.prefix ?? '';
    return { bucket, prefix, access: await this.presets.setAnonymousAccess(bucket, prefix, dto.access) };
  }

  @Get('policy')
  @AdminAuth('s3:GetBucketPolicy')
  @ApiOperation({ summary: 'The bucket policy and which preset it is (private, public or custom)' })
  @ApiOkResponse({ type: PolicyPresetResponse })
  async getPolicy(@Param('bucket') bucket: string): Promise<PolicyPresetResponse> {
    return { bucket, ...(await this.presets.getPolicyPreset(bucket)) };
  }

  @Put('policy')
  @AdminAuth('s3:PutBucketPolicy')
  @ApiOperation({ summary: 'Applies a policy preset: private (no policy), public, or a custom policy' })
  @ApiOkResponse({ type: PolicyPresetResponse })
  async setPolicy(
    @Param('bucket') bucket: string,
    @Body() dto: SetPolicyPresetDto,
  ): Promise<PolicyPresetResponse> {
    return { bucket, ...(await this.presets.setPolicyPreset(bucket, dto.preset, dto.policy)) };
  }
}
