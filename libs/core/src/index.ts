export * from './core.module';
export * from './bridge.module';
export * from './readiness.service';
export * from './redis-connection';
export * from './redis-iam-change-bus';
export * from './maintenance-schedule';
