import { Module } from '@nestjs/common';
import { GcService } from './gc.service';

/** The garbage collector (uses the global metadata and storage providers). */
@Module({ providers: [GcService], exports: [GcService] })
export class GcModule {}
