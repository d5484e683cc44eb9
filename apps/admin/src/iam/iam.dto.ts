import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsArray,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateBy,
  ValidateIf,
  type ValidationOptions,
} from 'class-validator';

/** IAM names: 1-64 of letters, digits and `+=,.@_-`, as AWS IAM allows for users and groups. */
const IAM_NAME = /^[\w+=,.@-]{1,64}$/;
const IAM_NAME_MESSAGE = '$property must be 1-64 characters of letters, digits and +=,.@_-';

/** A policy value: a JSON array (simple policies) or object (AWS document); its content is checked later. */
function IsPolicyValue(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isPolicyValue',
      validator: {
        validate: (value: unknown) => typeof value === 'object' && value !== null,
        defaultMessage: () => '$property must be a JSON array of simple policies or a policy object',
      },
    },
    options,
  );
}

/** An empty string (a form's `expires_at=`) means "no expiry". */
const emptyToNull = ({ value }: { value: unknown }) => (value === '' ? null : value);

const POLICIES_EXAMPLE = [{ bucket: '*', actions: ['list', 'read'] }];

/** `POST /iam/users`, `POST /admin/iam/users`. */
export class CreateUserDto {
  @ApiPropertyOptional({ description: 'User name; default: the generated access key', example: 'alice' })
  @IsOptional()
  @Matches(IAM_NAME, { message: IAM_NAME_MESSAGE })
  name?: string;

  @ApiPropertyOptional({ example: 'Alice' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  display_name?: string;

  @ApiPropertyOptional({
    description: 'Simple policies or an AWS identity policy',
    example: POLICIES_EXAMPLE,
  })
  @IsOptional()
  @IsPolicyValue()
  policies?: unknown;

  @ApiPropertyOptional({
    description: 'ISO 8601; absent or empty: never expires',
    example: '2026-12-31T23:59:59Z',
  })
  @Transform(emptyToNull)
  @IsOptional()
  @IsISO8601({ strict: true })
  expires_at?: string | null;
}

/** One entry of a simple policy array (`PUT …/policies`). */
export class SimplePolicyDto {
  @ApiProperty({ example: '*' })
  @IsString()
  bucket!: string;

  @ApiProperty({ example: ['list', 'read'] })
  @IsArray()
  @IsString({ each: true })
  actions!: string[];

  @ApiPropertyOptional({ example: 'uploads/' })
  @IsOptional()
  @IsString()
  prefix?: string;
}

/** `POST /iam/users/:accessKey/expiry` (form or JSON). */
export class ExpiryDto {
  @ApiPropertyOptional({
    description: 'ISO 8601; empty or absent removes the expiry',
    example: '2026-12-31T23:59:59Z',
  })
  @Transform(emptyToNull)
  @IsOptional()
  @IsISO8601({ strict: true })
  expires_at?: string | null;
}

/** `POST /admin/iam/users/:idOrAccessKey/service-accounts`. */
export class CreateServiceAccountDto {
  @ApiPropertyOptional({ example: 'backup-job' })
  @IsOptional()
  @Matches(IAM_NAME, { message: IAM_NAME_MESSAGE })
  name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(256)
  display_name?: string;

  @ApiPropertyOptional({ description: 'Session policy narrowing the parent', example: POLICIES_EXAMPLE })
  @IsOptional()
  @IsPolicyValue()
  policy?: unknown;

  @ApiPropertyOptional({ example: '2026-12-31T23:59:59Z' })
  @Transform(emptyToNull)
  @IsOptional()
  @IsISO8601({ strict: true })
  expires_at?: string | null;
}

/** `PUT /admin/iam/service-accounts/:accessKey/policy`. */
export class ServiceAccountPolicyDto {
  @ApiProperty({
    description: 'Session policy, or null to remove it',
    example: POLICIES_EXAMPLE,
    nullable: true,
  })
  @ValidateIf((o: ServiceAccountPolicyDto) => o.policy !== null)
  @IsPolicyValue()
  policy!: unknown;
}

/** `POST /admin/iam/groups`. */
export class CreateGroupDto {
  @ApiProperty({ example: 'auditors' })
  @Matches(IAM_NAME, { message: IAM_NAME_MESSAGE })
  name!: string;

  @ApiPropertyOptional({ description: 'User ids, access keys or names', example: ['alice'] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  members?: string[];
}

/** `PUT|DELETE /admin/iam/groups/:name/members`. */
export class GroupMembersDto {
  @ApiProperty({ description: 'User ids, access keys or names', example: ['alice'] })
  @IsArray()
  @ArrayNotEmpty()
  @IsString({ each: true })
  members!: string[];
}

/** An ISO date string or null/undefined as a Date or null. */
export function toDate(value: string | null | undefined): Date | null {
  return value === undefined || value === null ? null : new Date(value);
}
