import { spawnSync } from 'node:child_process';
import { isDeadSibling, THIS_PROCESS } from './process-identity';

describe('isDeadSibling', () => {
  it('knows this very process is alive', () => {
    expect(isDeadSibling(THIS_PROCESS)).toBe(false);
  });

  it('takes a record with our pid but another incarnation for our predecessor', () => {
    expect(isDeadSibling({ ...THIS_PROCESS, incarnation: 'before-the-restart' })).toBe(true);
  });

  it('takes a record of a pid nobody uses any more for a dead process', () => {
    const child = spawnSync(process.execPath, ['-e', '0']);
    expect(child.pid).toBeGreaterThan(0);
    expect(isDeadSibling({ host: THIS_PROCESS.host, pid: child.pid, incarnation: 'x' })).toBe(true);
  });

  it('does not judge a live process or another host', () => {
    expect(isDeadSibling({ host: THIS_PROCESS.host, pid: process.ppid, incarnation: 'x' })).toBe(false);
    expect(isDeadSibling({ host: 'another-host', pid: 999_999_999, incarnation: 'x' })).toBe(false);
  });
});
