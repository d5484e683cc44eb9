import { describeEachDialect } from '../support/db-matrix';
import { useMetadataDb } from './harness';

describeEachDialect('SystemStateRepository.claimPeriod', (entry) => {
  const db = useMetadataDb(entry);

  it('lets exactly one of several concurrent claimers run a period', async () => {
    const h = db();
    const now = new Date();
    const claims = await Promise.all(
      ['g1', 'g2', 'g3', 'g4'].map((holder) => h.state.claimPeriod('race', holder, 60_000, now)),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  it('refuses a claim within the period and grants it once the period has passed', async () => {
    const h = db();
    const t0 = new Date(1_800_000_000_000);
    expect(await h.state.claimPeriod('gc', 'g1', 60_000, t0)).toBe(true);
    expect(await h.state.claimPeriod('gc', 'g2', 60_000, new Date(t0.getTime() + 59_999))).toBe(false);
    expect(await h.state.claimPeriod('gc', 'g1', 60_000, new Date(t0.getTime() + 30_000))).toBe(false);
    expect(await h.state.claimPeriod('gc', 'g2', 60_000, new Date(t0.getTime() + 60_000))).toBe(true);
    expect(await h.state.get('run:gc')).toBe('g2');
    // Other jobs have periods of their own.
    expect(await h.state.claimPeriod('integrity', 'g1', 60_000, t0)).toBe(true);
  });
});
