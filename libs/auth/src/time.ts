const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** Parses the ISO 8601 basic format of X-Amz-Date (20130524T000000Z); null when malformed. */
export function parseAmzDate(value: string): Date | null {
  const match = AMZ_DATE.exec(value);
  if (!match) {
    return null;
  }
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC rolls 20130231 over into March; a round trip rejects such dates.
  return formatAmzDate(date) === value ? date : null;
}

/** Formats a date as X-Amz-Date (20130524T000000Z). */
export function formatAmzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** Parses an HTTP Date header (RFC 7231 and the obsolete forms Date.parse accepts); null when invalid. */
export function parseHttpDate(value: string): Date | null {
  const millis = Date.parse(value);
  return Number.isNaN(millis) ? null : new Date(millis);
}

/** Parses a date header that may be in either format (x-amz-date is ISO basic for SigV4, RFC 1123 for SigV2). */
export function parseAnyDate(value: string): Date | null {
  return parseAmzDate(value) ?? parseHttpDate(value);
}
