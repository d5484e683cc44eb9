import { Global, Module } from '@nestjs/common';
import { PeriodicRuns } from './periodic-runs';

/** Coordination of periodic work across gateways; global so every feature module can schedule. */
@Global()
@Module({ providers: [PeriodicRuns], exports: [PeriodicRuns] })
export class SchedulingModule {}
