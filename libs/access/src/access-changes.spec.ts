import type { AppConfig } from '@myfsio/config';
import type { SystemStateRepository } from '@myfsio/metadata';
import { AccessChangeBus } from './access-change-bus';
import { AccessChanges } from './access-changes';

const config = { auth: { iamRefreshIntervalSeconds: 3600 } } as unknown as AppConfig;

/** One database row shared by several gateways. */
function sharedState() {
  let value: string | null = null;
  return {
    get: () => Promise.resolve(value),
    set: (_tx: null, _key: string, v: string) => {
      value = v;
      return Promise.resolve();
    },
  } as unknown as SystemStateRepository;
}

class MemoryBus extends AccessChangeBus {
  private readonly listeners: Array<(id: string) => void> = [];
  publish(bucketId: string): Promise<void> {
    this.listeners.forEach((l) => l(bucketId));
    return Promise.resolve();
  }
  subscribe(listener: (bucketId: string) => void): void {
    this.listeners.push(listener);
  }
}

describe('AccessChanges', () => {
  it('tells local listeners at once which bucket changed', async () => {
    const changes = new AccessChanges(config, sharedState());
    const seen: Array<string | null> = [];
    changes.onChange((id) => seen.push(id));
    await changes.changed('b1');
    expect(seen).toEqual(['b1']);
  });

  it('another gateway clears everything when its poll sees a new token, and only then', async () => {
    const state = sharedState();
    const here = new AccessChanges(config, state);
    const there = new AccessChanges(config, state);
    const seen: Array<string | null> = [];
    there.onChange((id) => seen.push(id));
    await there.poll();
    expect(seen).toEqual([null]); // the first poll clears: caches may predate it
    await there.poll();
    expect(seen).toEqual([null]);
    await here.changed('b1');
    expect(seen).toEqual([null]);
    await there.poll();
    expect(seen).toEqual([null, null]);
  });

  it('with a bus, another gateway hears the bucket id without polling', async () => {
    const bus = new MemoryBus();
    const state = sharedState();
    const here = new AccessChanges(config, state, bus);
    const there = new AccessChanges(config, state, bus);
    const seen: Array<string | null> = [];
    there.onChange((id) => seen.push(id));
    await here.changed('b7');
    expect(seen).toEqual(['b7']);
  });

  it('a failing publish does not fail the change (the poll still carries it)', async () => {
    const bus = new MemoryBus();
    bus.publish = () => Promise.reject(new Error('redis down'));
    const changes = new AccessChanges(config, sharedState(), bus);
    await expect(changes.changed('b1')).resolves.toBeUndefined();
  });
});
