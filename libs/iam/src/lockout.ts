/** AUTH_MAX_ATTEMPTS and AUTH_LOCKOUT_MINUTES as the lockout arithmetic uses them. */
export interface LockoutPolicy {
  /** Failed signatures within one window that lock the user. */
  maxAttempts: number;
  /** Both the counting window and the lockout duration, in milliseconds. */
  lockoutMs: number;
}

/**
 * A user's sign-in failure state as stored on the user row. While `failedAttempts` is below the
 * limit, `lockedUntil` is the end of the counting window opened by the first failure; once the
 * limit is reached it is the end of the lockout. No extra column is needed for the window.
 */
export interface FailureState {
  failedAttempts: number;
  lockedUntil: Date | null;
}

/** True while the user is locked out: the limit was reached and the lockout has not ended. */
export function isLockedOut(state: FailureState, now: Date, policy: LockoutPolicy): boolean {
  return (
    state.failedAttempts >= policy.maxAttempts &&
    state.lockedUntil !== null &&
    state.lockedUntil.getTime() > now.getTime()
  );
}

/**
 * The state after one more failed signature at `now`:
 * 1. while locked out, nothing changes (the lockout is not extended by further attempts);
 * 2. with no open window (none yet, or it ended), the failure opens one: count 1;
 * 3. otherwise the count grows, and reaching `maxAttempts` starts a lockout of `lockoutMs`.
 */
export function afterFailedAttempt(state: FailureState, now: Date, policy: LockoutPolicy): FailureState {
  if (isLockedOut(state, now, policy)) {
    return state;
  }
  const isWindowOpen = state.lockedUntil !== null && state.lockedUntil.getTime() > now.getTime();
  const failedAttempts = isWindowOpen ? state.failedAttempts + 1 : 1;
  const lockedUntil =
    isWindowOpen && state.lockedUntil !== null && failedAttempts < policy.maxAttempts
      ? state.lockedUntil
      : new Date(now.getTime() + policy.lockoutMs);
  return { failedAttempts, lockedUntil };
}

/** The state after a successful request: no failures, no window. */
export const CLEAR_FAILURES: FailureState = Object.freeze({ failedAttempts: 0, lockedUntil: null });
