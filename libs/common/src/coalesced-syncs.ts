const ignore = (): void => undefined;

/**
 * Coalesces syncs per name. While a sync of a name runs, every caller that arrives waits for
 * the single sync queued behind it, which starts once the running one is done and so covers
 * everything those callers did before calling. 32 concurrent PUTs into one directory then
 * cost two or three fsyncs of it instead of 32; the SQLite WAL syncs share commits the same way.
 */
export class CoalescedSyncs {
  private readonly states = new Map<string, { running: Promise<void>; queued: Promise<void> | null }>();

  constructor(private readonly syncNow: (name: string) => Promise<void>) {}

  sync(name: string): Promise<void> {
    const state = this.states.get(name);
    if (state === undefined) {
      return this.start(name);
    }
    state.queued ??= state.running.then(ignore, ignore).then(() => this.start(name));
    return state.queued;
  }

  private start(name: string): Promise<void> {
    const state = { running: this.syncNow(name), queued: null as Promise<void> | null };
    this.states.set(name, state);
    const forget = (): void => {
      if (this.states.get(name) === state && state.queued === null) {
        this.states.delete(name);
      }
    };
    state.running.then(forget, forget);
    return state.running;
  }
}
