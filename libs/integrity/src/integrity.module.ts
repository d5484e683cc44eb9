import { Module } from '@nestjs/common';
import { IntegrityService } from './integrity.service';

/** The integrity scanner (uses the global metadata and storage providers). */
@Module({ providers: [IntegrityService], exports: [IntegrityService] })
export class IntegrityModule {}
