export * from './s3-errors';
export * from './xml';
export * from './checksums';
export * from './version';
export * from './secret-box';
export * from './coalesced-syncs';
export * from './process-identity';
