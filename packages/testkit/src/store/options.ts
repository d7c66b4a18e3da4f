import type { Clock, SessionStore } from '@sess/core';

/**
 * What `corrupt` is asked to write: `'unreadable'` is data the store cannot decode (garbage, a wrong
 * type, a malformed document); `'out-of-range'` is a record that decodes but holds numbers no session
 * can have (e.g. `max_inactive_ms = 9223372036854775807`, a negative or non-finite timestamp).
 */
export type CorruptionKind = 'unreadable' | 'out-of-range';

export interface StoreConformanceOptions<S extends SessionStore = SessionStore> {
  /** Shown in suite names, e.g. "redis (cluster)". */
  name: string;
  /**
   * Builds a store. Called once per suite with the clock that suite drives; the kit closes it after
   * the suite. Give each call its own namespace (key prefix, schema) or clear it, so suites don't see
   * each other's sessions. Resolve only once the store is fully ready, event delivery included
   * (e.g. a pub/sub subscription acknowledged), since event tests start right after. Its return type
   * is the `S` every other hook receives.
   */
  createStore(context: { clock: Clock }): S | Promise<S>;
  /** Reads the backend directly, to check what was really persisted (optional but recommended). */
  inspect?: {
    /** Whether the backend still holds anything for this session id (data, index or schedule entries). */
    exists(store: S, id: string): Promise<boolean>;
  };
  /**
   * Builds a second store on the same namespace as `store`, as another process of the application
   * would (same key prefix, table or map; its own connections where the store opens any). Given it,
   * and when the store delivers events itself, the kit checks that every instance hears every event
   * exactly once, including expiries nobody caused, once its subscription is up (the kit waits until
   * the peer hears a probe event first). The kit closes it after the suite.
   */
  createPeer?(store: S, context: { clock: Clock }): SessionStore | Promise<SessionStore>;
  /**
   * Overwrites what the backend holds for session `id` with data of the given kind (see
   * `CorruptionKind`). Resolve `false` when your backend cannot hold that kind at all (a typed
   * column that refuses it, say): the checks needing it are then skipped with that reason.
   */
  corrupt?(store: S, id: string, kind: CorruptionKind): Promise<unknown>;
  /**
   * Builds a store like `store` (same options and namespace) whose backend cannot be reached: a
   * client pointed at a closed port, a stopped server. The kit calls every method of it and expects
   * each to reject with `StoreUnavailableError` (code `STORE_UNAVAILABLE`), never a raw driver error
   * and never a hang. The kit closes it after the check.
   */
  createUnavailable?(store: S, context: { clock: Clock }): SessionStore | Promise<SessionStore>;
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

/**
 * The options as the suites use them: hooks take a plain `SessionStore` (the one `createStore` made,
 * so it is the author's `S`), defaults filled in.
 */
export interface ResolvedStoreConformance {
  name: string;
  createStore(context: { clock: Clock }): Promise<SessionStore>;
  inspect: { exists(store: SessionStore, id: string): Promise<boolean> } | undefined;
  createPeer: ((store: SessionStore, context: { clock: Clock }) => Promise<SessionStore>) | undefined;
  corrupt: ((store: SessionStore, id: string, kind: CorruptionKind) => Promise<boolean>) | undefined;
  createUnavailable: ((store: SessionStore, context: { clock: Clock }) => Promise<SessionStore>) | undefined;
  scale: number;
  expiryLatencyMs: number;
  eventLatencyMs: number;
  notApplicable: Readonly<Record<string, string>> | undefined;
}

export function resolveOptions<S extends SessionStore>(
  options: StoreConformanceOptions<S>,
): ResolvedStoreConformance {
  // Every store a hook receives was made by `createStore`, so it is an S: this is the one place the
  // kit narrows it back, and authors never cast.
  const own = (store: SessionStore) => store as S;
  const { inspect, createPeer, corrupt, createUnavailable } = options;
  return {
    name: options.name,
    createStore: async (context) => options.createStore(context),
    inspect: inspect && { exists: (store, id) => inspect.exists(own(store), id) },
    createPeer: createPeer && (async (store, context) => createPeer(own(store), context)),
    corrupt: corrupt && (async (store, id, kind) => (await corrupt(own(store), id, kind)) !== false),
    createUnavailable:
      createUnavailable && (async (store, context) => createUnavailable(own(store), context)),
    scale: options.scale ?? 10_000,
    expiryLatencyMs: options.expiryLatencyMs ?? 4000,
    eventLatencyMs: options.eventLatencyMs ?? 3000,
    notApplicable: options.notApplicable,
  };
}
