/** "Once per interval across gateways": a period claim in the shared metadata database. */
export { PeriodicRuns } from './periodic-runs';
/** Provides PeriodicRuns (global). */
export { SchedulingModule } from './scheduling.module';
/** One job of a kind at a time in this process (GC, integrity scans). */
export { SerialRuns } from './serial-runs';
