import { loadConfig } from '@myfsio/config';
import type { GcService } from '@myfsio/gc';
import type { IntegrityService } from '@myfsio/integrity';
import { SchedulerRegistry } from '@nestjs/schedule';
import { FIRST_TICK_MS, MaintenanceSchedule } from './maintenance-schedule';
import type { PeriodicRuns } from '@myfsio/scheduling';

function schedule(env: Record<string, string>) {
  const config = loadConfig(env, { envFile: false, cwd: '/tmp' });
  const registry = new SchedulerRegistry();
  const claims: string[] = [];
  const runs = {
    runIfClaimed: jest.fn((name: string, _periodMs: number, job: () => Promise<unknown>) => {
      claims.push(name);
      return job().then(() => true);
    }),
  } as unknown as PeriodicRuns;
  const gcRun = jest.fn(() => Promise.resolve({}));
  const integrityRun = jest.fn(() => Promise.resolve({}));
  const gc = { run: gcRun } as unknown as GcService;
  const integrity = { run: integrityRun } as unknown as IntegrityService;
  return {
    s: new MaintenanceSchedule(config, registry, runs, gc, integrity),
    registry,
    claims,
    gcRun,
    integrityRun,
  };
}

describe('MaintenanceSchedule', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('registers nothing while GC and the integrity scanner are disabled', () => {
    const { s, registry } = schedule({});
    s.onApplicationBootstrap();
    expect(registry.getIntervals()).toEqual([]);
    expect(registry.getTimeouts()).toEqual([]);
  });

  it('ticks enabled jobs soon after start and then every interval, through the period claim', async () => {
    const { s, registry, claims, gcRun, integrityRun } = schedule({
      GC_ENABLED: 'true',
      GC_INTERVAL_HOURS: '2',
      INTEGRITY_ENABLED: 'true',
    });
    s.onApplicationBootstrap();
    expect(registry.getIntervals().sort()).toEqual(['maintenance:gc', 'maintenance:integrity']);
    await jest.advanceTimersByTimeAsync(FIRST_TICK_MS);
    expect(claims.sort()).toEqual(['gc', 'integrity']);
    expect(gcRun).toHaveBeenCalledWith({ trigger: 'scheduled' });
    await jest.advanceTimersByTimeAsync(2 * 3_600_000);
    expect(claims.filter((c) => c === 'gc')).toHaveLength(2);
    expect(integrityRun).toHaveBeenCalledTimes(1);
    s.onApplicationShutdown();
    expect(registry.getIntervals()).toEqual([]);
    expect(registry.getTimeouts()).toEqual([]);
  });
});
