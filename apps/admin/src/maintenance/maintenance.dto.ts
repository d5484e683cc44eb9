import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';

/** Most history entries one page returns. */
export const MAX_HISTORY_LIMIT = 500;

/** Body of `POST /admin/gc/run`. */
export class GcRunDto {
  @ApiPropertyOptional({
    description: 'Report what would be collected without removing anything (default GC_DRY_RUN).',
  })
  @IsOptional()
  @IsBoolean()
  dry_run?: boolean;
}

/** Body of `POST /admin/integrity/run`. */
export class IntegrityRunDto {
  @ApiPropertyOptional({ description: 'Report issues without healing (default INTEGRITY_DRY_RUN).' })
  @IsOptional()
  @IsBoolean()
  dry_run?: boolean;

  @ApiPropertyOptional({
    description: 'Repair what the scan finds, unless dry_run (default INTEGRITY_AUTO_HEAL).',
  })
  @IsOptional()
  @IsBoolean()
  auto_heal?: boolean;
}

/** Query of the history endpoints. */
export class HistoryQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_HISTORY_LIMIT, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_HISTORY_LIMIT)
  limit: number = 50;

  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset: number = 0;
}

/** A page of run history. */
export interface HistoryPageBody<R> {
  runs: R[];
  total: number;
  limit: number;
  offset: number;
}
