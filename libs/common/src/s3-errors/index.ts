export * from './table';
export * from './s3-error';
