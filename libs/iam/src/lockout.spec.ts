import { afterFailedAttempt, CLEAR_FAILURES, isLockedOut, type FailureState } from './lockout';

const policy = { maxAttempts: 3, lockoutMs: 15 * 60_000 };
const t0 = new Date('2026-01-01T00:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

describe('lockout arithmetic', () => {
  it('opens a window on the first failure and locks at the limit', () => {
    let s: FailureState = CLEAR_FAILURES;
    s = afterFailedAttempt(s, t0, policy);
    expect(s).toEqual({ failedAttempts: 1, lockedUntil: at(policy.lockoutMs) });
    s = afterFailedAttempt(s, at(1000), policy);
    expect(s).toEqual({ failedAttempts: 2, lockedUntil: at(policy.lockoutMs) });
    expect(isLockedOut(s, at(1000), policy)).toBe(false);
    s = afterFailedAttempt(s, at(2000), policy);
    expect(s).toEqual({ failedAttempts: 3, lockedUntil: at(2000 + policy.lockoutMs) });
    expect(isLockedOut(s, at(2000), policy)).toBe(true);
    expect(isLockedOut(s, at(2000 + policy.lockoutMs - 1), policy)).toBe(true);
    expect(isLockedOut(s, at(2000 + policy.lockoutMs), policy)).toBe(false);
  });

  it('does not extend a lockout with further failures', () => {
    const locked = { failedAttempts: 3, lockedUntil: at(60_000) };
    expect(afterFailedAttempt(locked, at(30_000), policy)).toBe(locked);
  });

  it('starts counting again once the window has ended', () => {
    const old = { failedAttempts: 2, lockedUntil: at(60_000) };
    expect(afterFailedAttempt(old, at(60_000), policy)).toEqual({
      failedAttempts: 1,
      lockedUntil: at(60_000 + policy.lockoutMs),
    });
  });

  it('starts counting again after a lockout has ended', () => {
    const expired = { failedAttempts: 3, lockedUntil: at(10) };
    expect(isLockedOut(expired, at(10), policy)).toBe(false);
    expect(afterFailedAttempt(expired, at(20), policy).failedAttempts).toBe(1);
  });

  it('locks on the first failure when the limit is one', () => {
    const s = afterFailedAttempt(CLEAR_FAILURES, t0, { maxAttempts: 1, lockoutMs: 1000 });
    expect(isLockedOut(s, t0, { maxAttempts: 1, lockoutMs: 1000 })).toBe(true);
  });
});
