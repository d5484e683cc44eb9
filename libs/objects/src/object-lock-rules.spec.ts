import {
  checkRetentionChange,
  checkVersionRemoval,
  defaultRetainUntil,
  lockFieldsForWrite,
  readLockHeaders,
} from './object-lock-rules';

const NOW = new Date('2026-01-01T00:00:00Z');
const LATER = new Date('2026-06-01T00:00:00Z');
const EVEN_LATER = new Date('2027-01-01T00:00:00Z');
const EARLIER = new Date('2025-06-01T00:00:00Z');

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
};

describe('readLockHeaders', () => {
  it('reads mode, date and legal hold', () => {
    expect(
      readLockHeaders(
        {
          'x-amz-object-lock-mode': 'GOVERNANCE',
          'x-amz-object-lock-retain-until-date': '2026-06-01T00:00:00.000Z',
          'x-amz-object-lock-legal-hold': 'ON',
        },
        NOW,
      ),
    ).toEqual({ lockMode: 'GOVERNANCE', lockRetainUntil: LATER, legalHold: true });
    expect(readLockHeaders({}, NOW)).toEqual({ lockMode: null, lockRetainUntil: null, legalHold: null });
  });

  it('returns InvalidArgument for a mode without a date, a bad mode, a past date or a bad hold', () => {
    expect(code(() => readLockHeaders({ 'x-amz-object-lock-mode': 'GOVERNANCE' }, NOW))).toBe(
      'InvalidArgument',
    );
    expect(
      code(() =>
        readLockHeaders(
          { 'x-amz-object-lock-mode': 'STRICT', 'x-amz-object-lock-retain-until-date': LATER.toISOString() },
          NOW,
        ),
      ),
    ).toBe('InvalidArgument');
    expect(
      code(() =>
        readLockHeaders(
          {
            'x-amz-object-lock-mode': 'COMPLIANCE',
            'x-amz-object-lock-retain-until-date': EARLIER.toISOString(),
          },
          NOW,
        ),
      ),
    ).toBe('InvalidArgument');
    expect(code(() => readLockHeaders({ 'x-amz-object-lock-legal-hold': 'yes' }, NOW))).toBe(
      'InvalidArgument',
    );
  });
});

describe('default retention', () => {
  it('adds days of 24 hours or calendar years', () => {
    expect(defaultRetainUntil({ mode: 'GOVERNANCE', days: 30 }, NOW)).toEqual(
      new Date('2026-01-31T00:00:00Z'),
    );
    expect(defaultRetainUntil({ mode: 'COMPLIANCE', years: 2 }, NOW)).toEqual(
      new Date('2028-01-01T00:00:00Z'),
    );
  });

  it('applies only when the request names no mode', () => {
    const none = { lockMode: null, lockRetainUntil: null, legalHold: null };
    expect(lockFieldsForWrite(none, { mode: 'GOVERNANCE', days: 1 }, NOW)).toEqual({
      lockMode: 'GOVERNANCE',
      lockRetainUntil: new Date('2026-01-02T00:00:00Z'),
      legalHold: null,
    });
    const explicit = { lockMode: 'COMPLIANCE' as const, lockRetainUntil: LATER, legalHold: true };
    expect(lockFieldsForWrite(explicit, { mode: 'GOVERNANCE', days: 1 }, NOW)).toEqual(explicit);
    expect(lockFieldsForWrite(none, null, NOW)).toEqual(none);
  });
});

describe('checkVersionRemoval', () => {
  const row = (patch: object) => ({
    lockMode: null,
    lockRetainUntil: null,
    legalHold: null,
    isDeleteMarker: false,
    ...patch,
  });

  it('allows versions without lock, with expired retention, and delete markers', () => {
    expect(code(() => checkVersionRemoval(row({}), false, NOW))).toBeUndefined();
    expect(
      code(() => checkVersionRemoval(row({ lockMode: 'COMPLIANCE', lockRetainUntil: EARLIER }), false, NOW)),
    ).toBeUndefined();
    expect(
      code(() => checkVersionRemoval(row({ isDeleteMarker: true, legalHold: true }), false, NOW)),
    ).toBeUndefined();
  });

  it('refuses legal holds and COMPLIANCE whatever the bypass', () => {
    expect(code(() => checkVersionRemoval(row({ legalHold: true }), true, NOW))).toBe('AccessDenied');
    expect(
      code(() => checkVersionRemoval(row({ lockMode: 'COMPLIANCE', lockRetainUntil: LATER }), true, NOW)),
    ).toBe('AccessDenied');
  });

  it('refuses GOVERNANCE unless the bypass is allowed', () => {
    const governed = row({ lockMode: 'GOVERNANCE', lockRetainUntil: LATER });
    expect(code(() => checkVersionRemoval(governed, false, NOW))).toBe('AccessDenied');
    expect(code(() => checkVersionRemoval(governed, true, NOW))).toBeUndefined();
  });
});

describe('checkRetentionChange', () => {
  const compliance = { lockMode: 'COMPLIANCE' as const, lockRetainUntil: LATER };
  const governance = { lockMode: 'GOVERNANCE' as const, lockRetainUntil: LATER };

  it('lets COMPLIANCE be extended, never shortened, relaxed or removed', () => {
    expect(
      code(() =>
        checkRetentionChange(compliance, { mode: 'COMPLIANCE', retainUntil: EVEN_LATER }, false, NOW),
      ),
    ).toBeUndefined();
    const shorter = { mode: 'COMPLIANCE' as const, retainUntil: new Date('2026-03-01T00:00:00Z') };
    expect(code(() => checkRetentionChange(compliance, shorter, true, NOW))).toBe('AccessDenied');
    expect(
      code(() =>
        checkRetentionChange(compliance, { mode: 'GOVERNANCE', retainUntil: EVEN_LATER }, true, NOW),
      ),
    ).toBe('AccessDenied');
    expect(code(() => checkRetentionChange(compliance, null, true, NOW))).toBe('AccessDenied');
  });

  it('lets GOVERNANCE be extended freely and shortened or removed only with the bypass', () => {
    expect(
      code(() =>
        checkRetentionChange(governance, { mode: 'GOVERNANCE', retainUntil: EVEN_LATER }, false, NOW),
      ),
    ).toBeUndefined();
    expect(
      code(() => checkRetentionChange(governance, { mode: 'COMPLIANCE', retainUntil: LATER }, false, NOW)),
    ).toBeUndefined();
    const shorter = { mode: 'GOVERNANCE' as const, retainUntil: new Date('2026-03-01T00:00:00Z') };
    expect(code(() => checkRetentionChange(governance, shorter, false, NOW))).toBe('AccessDenied');
    expect(code(() => checkRetentionChange(governance, shorter, true, NOW))).toBeUndefined();
    expect(code(() => checkRetentionChange(governance, null, false, NOW))).toBe('AccessDenied');
  });

  it('refuses a date in the past with InvalidArgument', () => {
    expect(
      code(() =>
        checkRetentionChange(
          { lockMode: null, lockRetainUntil: null },
          { mode: 'GOVERNANCE', retainUntil: EARLIER },
          false,
          NOW,
        ),
      ),
    ).toBe('InvalidArgument');
  });
});
