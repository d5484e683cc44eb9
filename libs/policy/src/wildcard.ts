/**
 * Wildcard matching for Action, Resource and the *Like condition operators, with policy variables.
 * `*` matches any run of characters (slashes and newlines included), `?` exactly one.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 */

/** Looks up a policy variable such as `aws:username`; undefined when the request has no value. */
export type VariableResolver = (name: string) => string | undefined;

export interface MatchOptions {
  ignoreCase?: boolean;
  /** False for the *Equals operators: `*` and `?` are then literal characters. Default true. */
  wildcards?: boolean;
  /** Null (policy Version 2008-10-17 or none) leaves `${…}` as literal text. */
  vars?: VariableResolver | null;
}

const VARIABLE = /\$\{([^}]*)\}/g;
const DEFAULTED = /^([^,\s]+)\s*,\s*'([^']*)'$/;
// A compiled pattern: code points, with STAR for `*` and ANY for `?` when they are wildcards.
const STAR = -1;
const ANY = -2;
type Compiled = number[];
// Patterns cached per matcher map (see `matchers`); a cleared cache only costs recompiling.
const CACHE_LIMIT = 10_000;

function pushText(out: Compiled, text: string, wildcards: boolean): void {
  for (const ch of text) {
    out.push(wildcards && ch === '*' ? STAR : wildcards && ch === '?' ? ANY : (ch.codePointAt(0) ?? 0));
  }
}

/** The value of one `${…}` body; `${*}`, `${?}` and `${$}` stand for the literal character. */
function resolveVariable(body: string, vars: VariableResolver): string | undefined {
  const inner = body.trim();
  if (inner === '*' || inner === '?' || inner === '$') {
    return inner;
  }
  const defaulted = DEFAULTED.exec(inner);
  if (defaulted) {
    return vars(defaulted[1] ?? '') ?? defaulted[2];
  }
  return vars(inner);
}

/**
 * Replaces every policy variable in `text` by its value. Returns null when a variable has no
 * value and no default: AWS then treats the element as not matching anything.
 */
export function substituteVariables(text: string, vars: VariableResolver | null | undefined): string | null {
  if (!vars || !text.includes('${')) {
    return text;
  }
  let missing = false;
  const out = text.replace(VARIABLE, (_whole, body: string) => {
    const value = resolveVariable(body, vars);
    if (value === undefined) {
      missing = true;
      return '';
    }
    return value;
  });
  return missing ? null : out;
}

function compile(
  pattern: string,
  wildcards: boolean,
  vars: VariableResolver | null,
  ignoreCase: boolean,
): Compiled | null {
  const out: Compiled = [];
  if (!vars || !pattern.includes('${')) {
    pushText(out, pattern, wildcards);
    return out;
  }
  let last = 0;
  for (const m of pattern.matchAll(VARIABLE)) {
    pushText(out, pattern.slice(last, m.index), wildcards);
    const value = resolveVariable(m[1] ?? '', vars);
    if (value === undefined) {
      return null;
    }
    // A substituted value is data, never a wildcard: a user named "a*" gets no extra reach.
    pushText(out, ignoreCase ? value.toLowerCase() : value, false);
    last = m.index + m[0].length;
  }
  pushText(out, pattern.slice(last), wildcards);
  return out;
}

/**
 * Greedy wildcard matching that backtracks only to the last `*`: O(pattern × value) at worst,
 * so a hostile pattern such as `*a*a*a*b` cannot stall the gateway the way a regex could.
 */
function globMatch(p: Compiled, value: string): boolean {
  const s = Array.from(value, (ch) => ch.codePointAt(0) ?? 0);
  let pi = 0;
  let si = 0;
  let star = -1;
  let mark = 0;
  while (si < s.length) {
    const token = p[pi];
    if (token !== undefined && (token === ANY || token === s[si])) {
      pi++;
      si++;
    } else if (token === STAR) {
      star = pi++;
      mark = si;
    } else if (star >= 0) {
      pi = star + 1;
      si = ++mark;
    } else {
      return false;
    }
  }
  while (p[pi] === STAR) {
    pi++;
  }
  return pi === p.length;
}

type Matcher = (value: string) => boolean;

/**
 * Matchers of patterns without variables, one map per (wildcards, ignoreCase) pair so a lookup
 * costs no key string. Most policy patterns are literals (`s3:GetObject`), `*`, or a prefix
 * and one trailing `*` (`arn:aws:s3:::bucket/*`): those compare strings directly, and only the
 * rest run globMatch. The cap bounds memory when policies churn.
 */
const matchers: Map<string, Matcher>[] = [0, 1, 2, 3].map(() => new Map<string, Matcher>());

function buildMatcher(pattern: string, wildcards: boolean, ignoreCase: boolean): Matcher {
  const text = ignoreCase ? pattern.toLowerCase() : pattern;
  const fold = ignoreCase ? (v: string) => v.toLowerCase() : (v: string) => v;
  if (!wildcards || (!text.includes('*') && !text.includes('?'))) {
    return (v) => fold(v) === text;
  }
  if (text === '*') {
    return () => true;
  }
  if (!text.includes('?') && text.indexOf('*') === text.length - 1) {
    const prefix = text.slice(0, -1);
    return (v) => fold(v).startsWith(prefix);
  }
  const compiled = compile(text, wildcards, null, ignoreCase) ?? [];
  return (v) => globMatch(compiled, fold(v));
}

/** Whether `value` matches `pattern` as a whole. */
export function matchesPattern(pattern: string, value: string, options: MatchOptions = {}): boolean {
  const wildcards = options.wildcards ?? true;
  const vars = options.vars ?? null;
  const ignoreCase = options.ignoreCase ?? false;
  if (!vars || !pattern.includes('${')) {
    const cache = matchers[(wildcards ? 2 : 0) + (ignoreCase ? 1 : 0)] as Map<string, Matcher>;
    let matcher = cache.get(pattern);
    if (matcher === undefined) {
      if (cache.size >= CACHE_LIMIT) {
        cache.clear();
      }
      matcher = buildMatcher(pattern, wildcards, ignoreCase);
      cache.set(pattern, matcher);
    }
    return matcher(value);
  }
  const text = ignoreCase ? pattern.toLowerCase() : pattern;
  const compiled = compile(text, wildcards, vars, ignoreCase);
  return compiled !== null && globMatch(compiled, ignoreCase ? value.toLowerCase() : value);
}
