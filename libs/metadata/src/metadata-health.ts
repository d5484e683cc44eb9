import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createDataSource } from './data-source';
import type { MetadataOptions } from './metadata-options';

/** Readiness probe of the metadata database: one trivial round-trip. */
@Injectable()
export class MetadataHealth {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  async ping(): Promise<void> {
    await this.ds.query('SELECT 1');
  }
}

/** Connects once, runs a trivial query and disconnects; throws the driver's error when unreachable. */
export async function pingDatabase(options: MetadataOptions): Promise<void> {
  const ds = createDataSource(options);
  await ds.initialize();
  try {
    await ds.query('SELECT 1');
  } finally {
    await ds.destroy();
  }
}
