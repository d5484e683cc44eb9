import { BlockList, isIP } from 'node:net';
import { matchesPattern, substituteVariables, type VariableResolver } from './wildcard';

/**
 * The IAM condition operators.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 */
type Matcher = (policyValue: string, requestValue: string, vars: VariableResolver | null) => boolean;

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;

function parseNumber(text: string): number {
  return NUMBER.test(text.trim()) ? Number(text) : NaN;
}

/** Milliseconds since the epoch for an ISO 8601 date or epoch seconds (aws:EpochTime); NaN otherwise. */
function parseDate(text: string): number {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) {
    return Number(trimmed) * 1000;
  }
  return ISO_DATE.test(trimmed) ? Date.parse(trimmed) : NaN;
}

const blockLists = new Map<string, BlockList | null>();

/** A one-subnet BlockList for an `address[/prefix]` policy value; null when malformed. */
function subnet(cidr: string): BlockList | null {
  let list = blockLists.get(cidr);
  if (list !== undefined) {
    return list;
  }
  const [address = '', prefixText, extra] = cidr.trim().split('/');
  const family = isIP(address);
  const max = family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : /^\d+$/.test(prefixText) ? Number(prefixText) : -1;
  list = null;
  if (family !== 0 && extra === undefined && prefix >= 0 && prefix <= max) {
    list = new BlockList();
    list.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
  }
  if (blockLists.size >= 10_000) {
    blockLists.clear();
  }
  blockLists.set(cidr, list);
  return list;
}

function ipMatches(cidr: string, ip: string): boolean {
  const family = isIP(ip);
  const list = subnet(cidr);
  // BlockList also matches IPv4-mapped IPv6 clients (::ffff:192.0.2.1) against IPv4 subnets.
  return family !== 0 && list !== null && list.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

/** ARNs compare component by component, each with wildcards, so `*` never spans a colon early. */
function arnMatches(pattern: string, arn: string, vars: VariableResolver | null): boolean {
  const split = (text: string): string[] => {
    const parts = text.split(':');
    return parts.length < 6 ? parts : [...parts.slice(0, 5), parts.slice(5).join(':')];
  };
  const want = split(pattern);
  const have = split(arn);
  if (want.length < 6) {
    return matchesPattern(pattern, arn, { vars });
  }
  return have.length === 6 && want.every((part, i) => matchesPattern(part, have[i] ?? '', { vars }));
}

function compare(parse: (t: string) => number, test: (request: number, policy: number) => boolean): Matcher {
  return (policyValue, requestValue, vars) => {
    const policy = parse(substituteVariables(policyValue, vars) ?? '');
    const request = parse(requestValue);
    return !Number.isNaN(policy) && !Number.isNaN(request) && test(request, policy);
  };
}

const POSITIVE = {
  StringEquals: (p, r, vars) => substituteVariables(p, vars) === r,
  StringEqualsIgnoreCase: (p, r, vars) => substituteVariables(p, vars)?.toLowerCase() === r.toLowerCase(),
  StringLike: (p, r, vars) => matchesPattern(p, r, { vars }),
  NumericEquals: compare(parseNumber, (r, p) => r === p),
  NumericLessThan: compare(parseNumber, (r, p) => r < p),
  NumericLessThanEquals: compare(parseNumber, (r, p) => r <= p),
  NumericGreaterThan: compare(parseNumber, (r, p) => r > p),
  NumericGreaterThanEquals: compare(parseNumber, (r, p) => r >= p),
  DateEquals: compare(parseDate, (r, p) => r === p),
  DateLessThan: compare(parseDate, (r, p) => r < p),
  DateLessThanEquals: compare(parseDate, (r, p) => r <= p),
  DateGreaterThan: compare(parseDate, (r, p) => r > p),
  DateGreaterThanEquals: compare(parseDate, (r, p) => r >= p),
  Bool: (p, r, vars) => substituteVariables(p, vars)?.toLowerCase() === r.toLowerCase(),
  BinaryEquals: (p, r) => p === r,
  IpAddress: (p, r, vars) => ipMatches(substituteVariables(p, vars) ?? '', r),
  ArnEquals: (p, r, vars) => arnMatches(p, r, vars),
  ArnLike: (p, r, vars) => arnMatches(p, r, vars),
} satisfies Record<string, Matcher>;

type PositiveOperator = keyof typeof POSITIVE;

const NEGATED: Record<string, PositiveOperator> = {
  StringNotEquals: 'StringEquals',
  StringNotEqualsIgnoreCase: 'StringEqualsIgnoreCase',
  StringNotLike: 'StringLike',
  NumericNotEquals: 'NumericEquals',
  DateNotEquals: 'DateEquals',
  NotIpAddress: 'IpAddress',
  ArnNotEquals: 'ArnEquals',
  ArnNotLike: 'ArnLike',
};

/** A condition operator split into its parts, e.g. `ForAllValues:StringNotLikeIfExists`. */
export interface ParsedOperator {
  qualifier?: 'ForAnyValue' | 'ForAllValues';
  /** 'Null' tests presence; every other base compares values. */
  base: PositiveOperator | 'Null';
  /** True for the Not… operators: they hold when no policy value matches. */
  negated: boolean;
  ifExists: boolean;
  matcher?: Matcher;
}

const BY_LOWER_NAME = new Map<string, { base: PositiveOperator | 'Null'; negated: boolean }>([
  ['null', { base: 'Null', negated: false }],
  ...Object.keys(POSITIVE).map(
    (n) => [n.toLowerCase(), { base: n as PositiveOperator, negated: false }] as const,
  ),
  ...Object.entries(NEGATED).map(([n, base]) => [n.toLowerCase(), { base, negated: true }] as const),
]);

const operatorCache = new Map<string, ParsedOperator | null>();

/** Parses an operator name (case-insensitively); null when it is not an IAM condition operator. */
export function parseOperator(name: string): ParsedOperator | null {
  const cached = operatorCache.get(name);
  if (cached !== undefined) {
    return cached;
  }
  let rest = name.toLowerCase();
  let qualifier: ParsedOperator['qualifier'];
  for (const q of ['ForAnyValue', 'ForAllValues'] as const) {
    if (rest.startsWith(`${q.toLowerCase()}:`)) {
      qualifier = q;
      rest = rest.slice(q.length + 1);
      break;
    }
  }
  const ifExists = rest.endsWith('ifexists');
  const entry = BY_LOWER_NAME.get(ifExists ? rest.slice(0, -'ifexists'.length) : rest);
  let parsed: ParsedOperator | null = null;
  // Null tests presence itself, so neither IfExists nor a set qualifier means anything with it.
  if (entry && !(entry.base === 'Null' && (ifExists || qualifier))) {
    const matcher = entry.base === 'Null' ? undefined : POSITIVE[entry.base];
    parsed = { qualifier, base: entry.base, negated: entry.negated, ifExists, matcher };
  }
  operatorCache.set(name, parsed);
  return parsed;
}

/** Why a policy value is unusable with this operator (checked when a policy is parsed), or null. */
export function invalidValueReason(op: ParsedOperator, value: string): string | null {
  if (value.includes('${')) {
    return null;
  }
  const ok =
    op.base === 'Null' || op.base === 'Bool'
      ? /^(true|false)$/i.test(value)
      : op.base.startsWith('Numeric')
        ? !Number.isNaN(parseNumber(value))
        : op.base.startsWith('Date')
          ? !Number.isNaN(parseDate(value))
          : op.base === 'IpAddress'
            ? subnet(value) !== null
            : true;
  return ok ? null : `Invalid Condition value for ${op.base}: ${value}`;
}
