import type { LifecycleRule, LifecycleSubject, LifecycleTag } from './lifecycle.types';

/** What a rule's filter asks of an object, whatever form (legacy Prefix, Filter, And) it was sent in. */
export interface RuleCriteria {
  prefix: string;
  tags: LifecycleTag[];
  greaterThan?: number;
  lessThan?: number;
}

/** The criteria of `rule`'s filter; no filter (or an empty one) matches every object. Pure. */
export function ruleCriteria(rule: LifecycleRule): RuleCriteria {
  if (rule.Prefix !== undefined) {
    return { prefix: rule.Prefix, tags: [] };
  }
  const f = rule.Filter ?? {};
  const source = f.And ?? {
    Prefix: f.Prefix,
    Tags: f.Tag === undefined ? [] : [f.Tag],
    ObjectSizeGreaterThan: f.ObjectSizeGreaterThan,
    ObjectSizeLessThan: f.ObjectSizeLessThan,
  };
  return {
    prefix: source.Prefix ?? '',
    tags: source.Tags,
    greaterThan: source.ObjectSizeGreaterThan,
    lessThan: source.ObjectSizeLessThan,
  };
}

/**
 * Whether `rule`'s filter selects `subject`: the key starts with the prefix, every filter tag is
 * on the object with the same value, and the size is strictly inside the size bounds. The rule's
 * Status is not considered. Pure.
 */
export function ruleMatches(rule: LifecycleRule, subject: LifecycleSubject): boolean {
  const c = ruleCriteria(rule);
  if (!subject.key.startsWith(c.prefix)) {
    return false;
  }
  if (c.greaterThan !== undefined && !(subject.size > c.greaterThan)) {
    return false;
  }
  if (c.lessThan !== undefined && !(subject.size < c.lessThan)) {
    return false;
  }
  const tags = subject.tags ?? {};
  return c.tags.every((t) => Object.prototype.hasOwnProperty.call(tags, t.Key) && tags[t.Key] === t.Value);
}
