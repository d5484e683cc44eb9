import { matchesPattern, substituteVariables } from './wildcard';

const vars = (values: Record<string, string>) => (name: string) => values[name.toLowerCase()];

describe('matchesPattern', () => {
  it.each([
    ['*', 'anything/at/all', true],
    ['arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/a/b/c', true],
    ['arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket', false],
    ['arn:aws:s3:::bucket*', 'arn:aws:s3:::bucket-2/key', true],
    ['arn:aws:s3:::b?cket', 'arn:aws:s3:::bucket', true],
    ['arn:aws:s3:::b?cket', 'arn:aws:s3:::bcket', false],
    ['arn:aws:s3:::bucket/a.b', 'arn:aws:s3:::bucket/aXb', false],
    ['arn:aws:s3:::bucket/(x)+[y]', 'arn:aws:s3:::bucket/(x)+[y]', true],
    ['arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/line\nbreak', true],
  ])('%s vs %s → %s', (pattern, value, expected) => {
    expect(matchesPattern(pattern, value)).toBe(expected);
  });

  it('is case-sensitive unless asked otherwise', () => {
    expect(matchesPattern('arn:aws:s3:::Bucket/*', 'arn:aws:s3:::bucket/x')).toBe(false);
    expect(matchesPattern('S3:get*', 's3:GetObject', { ignoreCase: true })).toBe(true);
  });

  it('treats * and ? literally when wildcards are off', () => {
    expect(matchesPattern('a*', 'abc', { wildcards: false })).toBe(false);
    expect(matchesPattern('a*', 'a*', { wildcards: false })).toBe(true);
  });

  it('substitutes policy variables as literal text', () => {
    const v = vars({ 'aws:username': 'alice' });
    expect(
      matchesPattern('arn:aws:s3:::b/home/${aws:username}/*', 'arn:aws:s3:::b/home/alice/x', { vars: v }),
    ).toBe(true);
    expect(
      matchesPattern('arn:aws:s3:::b/home/${aws:username}/*', 'arn:aws:s3:::b/home/bob/x', { vars: v }),
    ).toBe(false);
    const star = vars({ 'aws:username': 'a*' });
    expect(matchesPattern('home/${aws:username}', 'home/abc', { vars: star })).toBe(false);
    expect(matchesPattern('home/${aws:username}', 'home/a*', { vars: star })).toBe(true);
  });

  it('matches nothing when a variable has no value, and uses a default when given', () => {
    const none = vars({});
    expect(matchesPattern('home/${aws:username}/*', 'home//x', { vars: none })).toBe(false);
    expect(matchesPattern("home/${aws:username, 'guest'}/*", 'home/guest/x', { vars: none })).toBe(true);
  });

  it('keeps ${…} literal without a resolver (policy Version 2008-10-17)', () => {
    expect(matchesPattern('home/${aws:username}', 'home/${aws:username}')).toBe(true);
  });
});

describe('substituteVariables', () => {
  it.each([
    ['${*}${?}${$}', '*?$'],
    ['user-${aws:username}', 'user-alice'],
    ['plain', 'plain'],
  ])('%s → %s', (text, expected) => {
    expect(substituteVariables(text, vars({ 'aws:username': 'alice' }))).toBe(expected);
  });

  it('returns null when a variable is missing', () => {
    expect(substituteVariables('${aws:userid}', vars({}))).toBeNull();
  });
});

describe('matchesPattern on hostile input', () => {
  it('stays fast for patterns with many stars', () => {
    const pattern = `${'*a'.repeat(30)}*b`;
    const value = 'a'.repeat(5000);
    const started = Date.now();
    expect(matchesPattern(pattern, value)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
