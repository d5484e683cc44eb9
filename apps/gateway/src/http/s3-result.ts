import type { XmlObject } from '@myfsio/common';
import type { Readable } from 'node:stream';

export type HeaderValue = string | number | undefined;

/** What a handler returns; `S3Responder` is the one place that writes it to the wire. */
export interface S3Result {
  status?: number;
  headers?: Record<string, HeaderValue>;
  /** An XML document: root element name and body; `xmlns` overrides S3's namespace (STS). */
  xml?: { root: string; body: XmlObject; xmlns?: string };
  /** Raw bytes or a stream (object data); piped with backpressure, omitted for HEAD. */
  body?: Readable | Buffer | string;
}
