import type { LifecycleRule } from './lifecycle.types';
import { ruleMatches } from './rule-match';
import { scanPrefixes } from './lifecycle-runner';

const base: LifecycleRule = { ID: 'r', Status: 'Enabled', Expiration: { Days: 1 } };
const obj = (key: string, size = 10, tags: Record<string, string> | null = null) => ({ key, size, tags });

describe('ruleMatches', () => {
  it('matches every object without a filter, with an empty Filter and with an empty prefix', () => {
    expect(ruleMatches(base, obj('any/thing'))).toBe(true);
    expect(ruleMatches({ ...base, Filter: {} }, obj('x'))).toBe(true);
    expect(ruleMatches({ ...base, Prefix: '' }, obj('x'))).toBe(true);
  });

  it('matches by the legacy rule-level prefix and by Filter/Prefix', () => {
    expect(ruleMatches({ ...base, Prefix: 'logs/' }, obj('logs/a'))).toBe(true);
    expect(ruleMatches({ ...base, Prefix: 'logs/' }, obj('log/a'))).toBe(false);
    expect(ruleMatches({ ...base, Filter: { Prefix: 'tmp/' } }, obj('tmp/x'))).toBe(true);
    expect(ruleMatches({ ...base, Filter: { Prefix: 'tmp/' } }, obj('TMP/x'))).toBe(false);
  });

  it('matches a tag only when the object has it with the same value', () => {
    const rule = { ...base, Filter: { Tag: { Key: 'k', Value: 'v' } } };
    expect(ruleMatches(rule, obj('a', 1, { k: 'v', other: '1' }))).toBe(true);
    expect(ruleMatches(rule, obj('a', 1, { k: 'w' }))).toBe(false);
    expect(ruleMatches(rule, obj('a', 1, {}))).toBe(false);
    expect(ruleMatches(rule, obj('a', 1, null))).toBe(false);
  });

  it('treats the size bounds as strict', () => {
    const gt = { ...base, Filter: { ObjectSizeGreaterThan: 10 } };
    const lt = { ...base, Filter: { ObjectSizeLessThan: 10 } };
    expect([ruleMatches(gt, obj('a', 10)), ruleMatches(gt, obj('a', 11))]).toEqual([false, true]);
    expect([ruleMatches(lt, obj('a', 10)), ruleMatches(lt, obj('a', 9))]).toEqual([false, true]);
  });

  it('needs every predicate of And', () => {
    const rule: LifecycleRule = {
      ...base,
      Filter: {
        And: {
          Prefix: 'p/',
          Tags: [
            { Key: 'a', Value: '1' },
            { Key: 'b', Value: '2' },
          ],
          ObjectSizeGreaterThan: 5,
          ObjectSizeLessThan: 100,
        },
      },
    };
    const tags = { a: '1', b: '2' };
    expect(ruleMatches(rule, obj('p/x', 50, tags))).toBe(true);
    expect(ruleMatches(rule, obj('q/x', 50, tags))).toBe(false);
    expect(ruleMatches(rule, obj('p/x', 50, { a: '1' }))).toBe(false);
    expect(ruleMatches(rule, obj('p/x', 5, tags))).toBe(false);
    expect(ruleMatches(rule, obj('p/x', 100, tags))).toBe(false);
  });
});

describe('scanPrefixes', () => {
  it('keeps the shortest prefixes of enabled rules with the action', () => {
    const rules: LifecycleRule[] = [
      { ...base, ID: '1', Prefix: 'logs/app/' },
      { ...base, ID: '2', Filter: { Prefix: 'logs/' } },
      { ...base, ID: '3', Filter: { And: { Prefix: 'tmp/', Tags: [] } } },
      { ...base, ID: '4', Status: 'Disabled', Prefix: 'all' },
      {
        ID: '5',
        Status: 'Enabled',
        Prefix: 'x/',
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
      },
    ];
    expect(scanPrefixes(rules, (r) => r.Expiration !== undefined)).toEqual(['logs/', 'tmp/']);
    expect(scanPrefixes(rules, (r) => r.AbortIncompleteMultipartUpload !== undefined)).toEqual(['x/']);
    expect(
      scanPrefixes([...rules, { ...base, ID: '6', Filter: {} }], (r) => r.Expiration !== undefined),
    ).toEqual(['']);
  });
});
