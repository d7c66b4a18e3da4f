import type { Clock, SessionStore } from '@sess/core';

export interface StoreConformanceOptions {
  /** Shown in suite names, e.g. "redis (cluster)". */
  name: string;
  /**
   * Builds a store. Called once per suite with the clock that suite drives; the kit closes it after
   * the suite. Give each call its own namespace (key prefix, schema) or clear it, so suites don't see
   * each other's sessions. Resolve only once the store is fully ready, event delivery included
   * (e.g. a pub/sub subscription acknowledged), since event tests start right after.
   */
  createStore(context: { clock: Clock }): SessionStore | Promise<SessionStore>;
  /** Reads the backend directly, to check what was really persisted (optional but recommended). */
  inspect?: {
    /** Whether the backend still holds anything for this session id. `store` is the suite's store. */
    exists(id: string, store: SessionStore): Promise<boolean>;
  };
  /**
   * Builds a second store on the same namespace as `store`, as another process of the application
   * would (same key prefix, table or map; its own connections where the store opens any). Given it,
   * and when the store delivers events itself, the kit checks that every instance hears every event
   * exactly once, including expiries nobody caused, once its subscription is up (the kit waits until
   * the peer hears a probe event first). The kit closes it after the suite.
   */
  createPeer?(store: SessionStore, context: { clock: Clock }): SessionStore | Promise<SessionStore>;
  /** Overwrites what the backend holds for `id` with data the store cannot read (optional). */
  corrupt?(id: string, store: SessionStore): Promise<void>;
  /** Sessions the scale suite creates. Default 10 000. */
  scale?: number;
  /** How long the store may take to remove an expired session by itself, in ms. Default 4000. */
  expiryLatencyMs?: number;
  /** How long a store-delivered event may take to arrive, in ms. Default 3000. */
  eventLatencyMs?: number;
  /**
   * Checks that cannot apply to this store (e.g. a 1 MB value in a store whose sessions travel in a
   * 4 KB cookie), by exact title, with the reason. Reported as skipped with it, never run or passed.
   */
  notApplicable?: Readonly<Record<string, string>>;
}

export interface ResolvedStoreConformance
  extends Required<Omit<StoreConformanceOptions, 'inspect' | 'corrupt' | 'createPeer' | 'notApplicable'>> {
  notApplicable: StoreConformanceOptions['notApplicable'];
  inspect: StoreConformanceOptions['inspect'];
  corrupt: StoreConformanceOptions['corrupt'];
  createPeer: StoreConformanceOptions['createPeer'];
}

export function resolveOptions(options: StoreConformanceOptions): ResolvedStoreConformance {
  return {
    name: options.name,
    createStore: options.createStore,
    inspect: options.inspect,
    corrupt: options.corrupt,
    createPeer: options.createPeer,
    notApplicable: options.notApplicable,
    scale: options.scale ?? 10_000,
    expiryLatencyMs: options.expiryLatencyMs ?? 4000,
    eventLatencyMs: options.eventLatencyMs ?? 3000,
  };
}
