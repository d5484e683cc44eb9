import { percentDecode } from './uri-encode';
import type { IncomingSignedRequest } from './types';

/** One query parameter, raw as sent and decoded. */
export interface QueryParam {
  readonly rawName: string;
  /** undefined when the parameter had no '=' at all (`?acl`). */
  readonly rawValue: string | undefined;
  readonly name: string;
  readonly value: string;
}

/** The request target split into its parts, without any normalisation. */
export interface RequestTarget {
  readonly rawPath: string;
  readonly params: readonly QueryParam[];
}

/** Splits `rawUrl` into path and query; an absolute-form target (proxies) loses its scheme and authority. */
export function parseRequestTarget(rawUrl: string): RequestTarget {
  let target = rawUrl;
  if (!target.startsWith('/')) {
    const authority = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?]*/.exec(target);
    target = authority ? target.slice(authority[0].length) : target;
  }
  const hash = target.indexOf('#');
  if (hash >= 0) {
    target = target.slice(0, hash);
  }
  const question = target.indexOf('?');
  const rawPath = question >= 0 ? target.slice(0, question) : target;
  const rawQuery = question >= 0 ? target.slice(question + 1) : '';
  return { rawPath: rawPath === '' ? '/' : rawPath, params: parseQuery(rawQuery) };
}

function parseQuery(rawQuery: string): QueryParam[] {
  const params: QueryParam[] = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') {
      continue;
    }
    const equals = part.indexOf('=');
    const rawName = equals >= 0 ? part.slice(0, equals) : part;
    const rawValue = equals >= 0 ? part.slice(equals + 1) : undefined;
    // '+' stays '+': signers encode a space as %20, and treating '+' as a space would break
    // base64 signatures sent unencoded.
    params.push({ rawName, rawValue, name: percentDecode(rawName), value: percentDecode(rawValue ?? '') });
  }
  return params;
}

/** The decoded value of the first parameter named exactly `name`; undefined when absent. */
export function queryParam(target: RequestTarget, name: string): string | undefined {
  return target.params.find((p) => p.name === name)?.value;
}

/**
 * Header access that keeps what signatures need: single values as Node reports them, and the
 * comma-joined list of repeated headers from `rawHeaders` when the caller supplied it.
 */
export class RequestHeaders {
  private combinedValues: Map<string, string> | undefined;

  constructor(
    private readonly headers: IncomingSignedRequest['headers'],
    private readonly rawHeaders?: readonly string[],
  ) {}

  /** The value of a header; repeated values joined with ','. undefined when absent. */
  get(name: string): string | undefined {
    const value = this.headers[name];
    if (value === undefined) {
      return name === 'host' ? this.get(':authority') : undefined;
    }
    return Array.isArray(value) ? value.join(',') : value;
  }

  /** Like `get`, but repeated headers are joined with ',' even when Node had merged them with ', '. */
  combined(name: string): string | undefined {
    if (!this.rawHeaders || this.rawHeaders.length === 0) {
      return this.get(name);
    }
    this.combinedValues ??= combineRawHeaders(this.rawHeaders);
    return this.combinedValues.get(name) ?? this.get(name);
  }

  /** Lower-case names of all headers present. */
  names(): string[] {
    return Object.keys(this.headers).filter((name) => this.headers[name] !== undefined);
  }
}

function combineRawHeaders(raw: readonly string[]): Map<string, string> {
  const values = new Map<string, string>();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    const value = (raw[i + 1] as string).trim();
    const previous = values.get(name);
    values.set(name, previous === undefined ? value : `${previous},${value}`);
  }
  return values;
}
