import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';

const ACCESS_LEVELS = ['none', 'download', 'upload', 'public'] as const;
const POLICY_PRESETS = ['private', 'public', 'custom'] as const;

/** `GET /admin/buckets/{bucket}/anonymous?prefix=` */
export class AnonymousAccessQuery {
  @ApiPropertyOptional({
    description: 'A key prefix; omitted or empty for the whole bucket',
    example: 'images/',
  })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  prefix?: string;
}

/** `PUT /admin/buckets/{bucket}/anonymous` */
export class SetAnonymousAccessDto {
  @ApiProperty({
    enum: ACCESS_LEVELS,
    description: 'none: no anonymous access; download: read and list; upload: write and delete; public: both',
  })
  @IsIn(ACCESS_LEVELS)
  access: (typeof ACCESS_LEVELS)[number];

  @ApiPropertyOptional({
    description: 'A key prefix; omitted or empty for the whole bucket',
    example: 'images/',
  })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  prefix?: string;
}

/** The anonymous access level of a bucket or prefix. */
export class AnonymousAccessView {
  @ApiProperty() bucket: string;
  @ApiProperty({ description: "'' for the whole bucket" }) prefix: string;
  @ApiProperty({ enum: ACCESS_LEVELS }) access: (typeof ACCESS_LEVELS)[number];
}

/** `PUT /admin/buckets/{bucket}/policy` */
export class SetPolicyPresetDto {
  @ApiProperty({
    enum: POLICY_PRESETS,
    description:
      'private: no policy; public: anonymous s3:ListBucket + s3:GetObject; custom: the given policy',
  })
  @IsIn(POLICY_PRESETS)
  preset: (typeof POLICY_PRESETS)[number];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'The bucket policy (custom only)',
  })
  @IsOptional()
  @IsObject()
  policy?: Record<string, unknown>;
}

/** A bucket's policy preset and the stored policy. */
export class PolicyPresetResponse {
  @ApiProperty() bucket: string;
  @ApiProperty({ enum: POLICY_PRESETS }) preset: (typeof POLICY_PRESETS)[number];
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) policy: object | null;
}
