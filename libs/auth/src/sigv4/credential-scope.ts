import { malformedAuth, type SigV4Location } from '../errors';

/** The parts of `AKID/YYYYMMDD/region/service/aws4_request`. */
export interface CredentialScope {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
}

/** What the server accepts in a credential scope. */
export interface ScopeRules {
  readonly region: string;
  readonly services: readonly string[];
}

/** Parses and checks a SigV4 Credential value; throws S3's malformed-credential errors. */
export function parseCredential(location: SigV4Location, value: string, rules: ScopeRules): CredentialScope {
  const prefix = location === 'query' ? 'Error parsing the X-Amz-Credential parameter; ' : '';
  const fail = (detail: string, fields?: Record<string, string>) =>
    malformedAuth(location, `${prefix}${detail}`, fields);
  const parts = value.split('/');
  const [accessKeyId = '', date = '', region = '', service = '', terminal = ''] = parts;
  if (parts.length !== 5 || accessKeyId === '' || !/^\d{8}$/.test(date)) {
    throw fail('the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".');
  }
  if (region !== rules.region) {
    throw fail(`the region '${region}' is wrong; expecting '${rules.region}'`, { Region: rules.region });
  }
  if (!rules.services.includes(service)) {
    throw fail(`incorrect service "${service}". This endpoint belongs to "${rules.services[0] ?? ''}".`);
  }
  if (terminal !== 'aws4_request') {
    throw fail(`incorrect terminal "${terminal}". This endpoint uses "aws4_request".`);
  }
  return { accessKeyId, date, region, service };
}

/** date/region/service/aws4_request */
export function scopeString(scope: CredentialScope): string {
  return `${scope.date}/${scope.region}/${scope.service}/aws4_request`;
}
