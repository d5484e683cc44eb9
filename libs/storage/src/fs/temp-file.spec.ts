import { tempFileName } from './temp-file';

describe('tempFileName', () => {
  it('names temp files <pid>-<random>-<n>.tmp, never twice in a process', () => {
    const names = Array.from({ length: 1000 }, () => tempFileName());
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) {
      expect(name).toMatch(new RegExp(`^${process.pid}-[0-9a-f]{12}-[0-9a-z]+\\.tmp$`));
    }
  });
});
