/**
 * An in-process test double of the part of hazelcast-client's IMap that @sess/hazelcast uses.
 * It is NOT a cluster. Its semantics, and where they come from, are written down in SEMANTICS.md
 * next to this file; read that before trusting a green test.
 *
 *   FakeCluster  the members: entries per map, TTL expiry (lazy on access + a periodic expiration
 *                task), entry events.
 *   FakeClient   one client's view: getMap(), fault injection (fail / hang / recover), the JSON
 *                deserialization policy, listener delivery (lost while disconnected).
 *   FakeIMap     implements Pick<IMap<K, V>, ...> of hazelcast-client's own types, so the store's
 *                calls typecheck against the real signatures.
 */
import {
  EntryEvent,
  HazelcastJsonValue,
  type IMap,
  type IndexConfig,
  type MapListener,
  type Predicate,
} from 'hazelcast-client';

/** The IMap methods this double models: the store's, plus what tests use to inspect and corrupt. */
export type FakeIMapMethod =
  | 'get'
  | 'putIfAbsent'
  | 'replaceIfSame'
  | 'remove'
  | 'setTtl'
  | 'entrySetWithPredicate'
  | 'addIndex'
  | 'addEntryListener'
  | 'removeEntryListener'
  | 'containsKey'
  | 'put';

type Ttl = Parameters<IMap<string, unknown>['setTtl']>[1];

/** What a member holds: the serialized form, compared byte-for-byte like Hazelcast's BINARY format. */
type Serialized =
  | { readonly kind: 'json'; readonly text: string }
  | { readonly kind: 'primitive'; readonly value: string | number | boolean };

interface Entry {
  value: Serialized;
  /** 0 = no expiry. */
  ttlMs: number;
  /** Epoch ms (cluster clock) at which the entry expires; Infinity without TTL. */
  expiresAt: number;
}

type EntryEventType = 'added' | 'updated' | 'removed' | 'expired' | 'evicted';

interface Registration {
  readonly client: FakeClient;
  readonly listener: MapListener<unknown, unknown>;
  readonly key: unknown;
  readonly includeValue: boolean;
}

export interface FakeClusterOptions {
  /** Period of the background expiration task, in ms. Hazelcast's default is 5 s. Default 100. */
  expirationTaskPeriodMs?: number;
  /** The members' clock. Default Date.now. */
  now?: () => number;
  /** Map-config TTL used when a call passes no TTL or a negative one, in seconds; 0 = none. Default 0. */
  defaultTtlSeconds?: number;
}

export class FakeCluster {
  readonly #maps = new Map<string, Map<string, Entry>>();
  readonly #registrations = new Map<string, Map<string, Registration>>();
  readonly #indexes = new Map<string, IndexConfig[]>();
  readonly now: () => number;
  readonly defaultTtlSeconds: number;
  #timer: ReturnType<typeof setInterval> | undefined;
  #nextId = 0;

  constructor(options: FakeClusterOptions = {}) {
    this.now = options.now ?? Date.now;
    this.defaultTtlSeconds = options.defaultTtlSeconds ?? 0;
    const period = options.expirationTaskPeriodMs ?? 100;
    this.#timer = setInterval(() => this.runExpirationTask(), period);
    this.#timer.unref?.();
  }

  /** A new client connected to this cluster. */
  newClient(options: FakeClientOptions = {}): FakeClient {
    return new FakeClient(this, options);
  }

  /** Stops the expiration task. */
  shutdown(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Removes every expired entry of every map, firing 'expired' events (the member's background task). */
  runExpirationTask(): void {
    const now = this.now();
    for (const [mapName, entries] of this.#maps) {
      for (const [key, entry] of entries) if (now >= entry.expiresAt) this.expire(mapName, key, entry);
    }
  }

  /** Test inspection: the raw entry, without triggering lazy expiry. */
  peek(mapName: string, key: string): { value: Serialized; ttlMs: number; expiresAt: number } | undefined {
    const entry = this.#maps.get(mapName)?.get(key);
    return entry && { ...entry };
  }

  /** Test inspection: the indexes added to a map. */
  indexes(mapName: string): readonly IndexConfig[] {
    return this.#indexes.get(mapName) ?? [];
  }

  /** Test inspection: how many entry listeners are registered on a map. */
  listenerCount(mapName: string): number {
    return this.#registrations.get(mapName)?.size ?? 0;
  }

  // ---- member-side operations, used by FakeIMap ----

  entries(mapName: string): Map<string, Entry> {
    let entries = this.#maps.get(mapName);
    if (!entries) {
      entries = new Map();
      this.#maps.set(mapName, entries);
    }
    return entries;
  }

  /** The entry if present and not expired; an expired one is removed with an 'expired' event (lazy expiry). */
  live(mapName: string, key: string): Entry | undefined {
    const entry = this.entries(mapName).get(key);
    if (entry && this.now() >= entry.expiresAt) {
      this.expire(mapName, key, entry);
      return undefined;
    }
    return entry;
  }

  expire(mapName: string, key: string, entry: Entry): void {
    this.entries(mapName).delete(key);
    this.publish(mapName, 'expired', key, null, entry.value);
  }

  /** TTL argument -> effective TTL in ms (0 = forever), as documented on IMap.put / setTtl. */
  effectiveTtl(ttl: Ttl | undefined): number {
    const ms = ttl === undefined ? -1 : typeof ttl === 'number' ? ttl : ttl.toNumber();
    if (ms < 0) return this.defaultTtlSeconds * 1000;
    if (ms === 0) return 0;
    // IMap.d.ts says "rounded to the next closest second value"; a 5.6.0 member truncates instead
    // (1500 ms is kept as 1 s), observed with getEntryView in test/live-member.live.test.ts.
    return Math.max(1, Math.floor(ms / 1000)) * 1000;
  }

  write(mapName: string, key: string, value: Serialized, ttlMs: number): void {
    // The member counts the TTL from the write time truncated to the second (observed on 5.6.0).
    const writtenAt = Math.floor(this.now() / 1000) * 1000;
    this.entries(mapName).set(key, {
      value,
      ttlMs,
      expiresAt: ttlMs === 0 ? Number.POSITIVE_INFINITY : writtenAt + ttlMs,
    });
  }

  addIndex(mapName: string, config: IndexConfig): void {
    const list = this.#indexes.get(mapName) ?? [];
    list.push(config);
    this.#indexes.set(mapName, list);
  }

  register(mapName: string, registration: Registration): string {
    const id = `fake-registration-${++this.#nextId}`;
    let registrations = this.#registrations.get(mapName);
    if (!registrations) {
      registrations = new Map();
      this.#registrations.set(mapName, registrations);
    }
    registrations.set(id, registration);
    return id;
  }

  deregister(mapName: string, id: string): boolean {
    return this.#registrations.get(mapName)?.delete(id) ?? false;
  }

  /** Sends an entry event to every matching registration, asynchronously and in order. */
  publish(
    mapName: string,
    type: EntryEventType,
    key: string,
    value: Serialized | null,
    oldValue: Serialized | null,
  ): void {
    for (const registration of this.#registrations.get(mapName)?.values() ?? []) {
      if (registration.key !== undefined && registration.key !== key) continue;
      registration.client.deliver(mapName, registration, type, key, value, oldValue);
    }
  }
}

export type JsonPolicy = 'EAGER' | 'NO_DESERIALIZATION';

export interface FakeClientOptions {
  /** The client's `serialization.jsonStringDeserializationPolicy`. Default 'EAGER', as in the client. */
  jsonStringDeserializationPolicy?: JsonPolicy;
  /**
   * Called when an event handler throws (our listener, or deserializing an event value). The real
   * client calls handlers inside process.nextTick without a catch, so the default rethrows there
   * and crashes the process, exactly like the client would.
   */
  onUncaughtEventError?: (error: unknown) => void;
}

type Connectivity =
  | { readonly state: 'up' }
  | { readonly state: 'fail'; readonly error: () => Error }
  | { readonly state: 'hang' };

export class FakeClient {
  readonly cluster: FakeCluster;
  readonly policy: JsonPolicy;
  readonly #onUncaught: (error: unknown) => void;
  #connectivity: Connectivity = { state: 'up' };
  #waiting: Array<() => void> = [];
  #addIndexError: (() => Error) | null = null;
  /** Map calls made, by method name. */
  readonly calls = new Map<string, number>();

  constructor(cluster: FakeCluster, options: FakeClientOptions = {}) {
    this.cluster = cluster;
    this.policy = options.jsonStringDeserializationPolicy ?? 'EAGER';
    this.#onUncaught =
      options.onUncaughtEventError ??
      ((error) =>
        process.nextTick(() => {
          throw error;
        }));
  }

  getMap<K extends string, V>(name: string): Promise<FakeIMap<K, V>> {
    // Creating a proxy is a cluster call in the real client, so it is subject to outages too.
    return this.invoke('getMap', () => new FakeIMap<K, V>(this, name));
  }

  /** Every following call rejects with `error()` (like ClientOfflineError in ASYNC reconnect mode). */
  failWith(error: () => Error): void {
    this.#connectivity = { state: 'fail', error };
  }

  /** Every following call waits until `recover()` (like invocations retried while disconnected). */
  hang(): void {
    this.#connectivity = { state: 'hang' };
  }

  /** Reconnected: waiting calls proceed; listeners are registered again (events from the gap are lost). */
  recover(): void {
    this.#connectivity = { state: 'up' };
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const resume of waiting) resume();
  }

  /** Makes addIndex reject with `error()` (e.g. missing permission); null to allow it again. */
  rejectAddIndex(error: (() => Error) | null): void {
    this.#addIndexError = error;
  }

  get addIndexError(): (() => Error) | null {
    return this.#addIndexError;
  }

  get connected(): boolean {
    return this.#connectivity.state === 'up';
  }

  /**
   * Runs a member-side operation as one round trip: never synchronously, subject to the connectivity
   * state at the time it is sent.
   */
  async invoke<T>(method: string, operation: () => T): Promise<T> {
    this.calls.set(method, (this.calls.get(method) ?? 0) + 1);
    await new Promise((resolve) => setImmediate(resolve));
    for (;;) {
      const connectivity = this.#connectivity;
      if (connectivity.state === 'up') return operation();
      if (connectivity.state === 'fail') throw connectivity.error();
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
  }

  /** Client side of the wire: deserialize per policy. Throws what the client's serializer throws. */
  deserialize(value: Serialized | null): unknown {
    if (value === null) return null;
    if (value.kind === 'primitive') return value.value;
    return this.policy === 'EAGER' ? JSON.parse(value.text) : new HazelcastJsonValue(value.text);
  }

  deliver(
    mapName: string,
    registration: Registration,
    type: EntryEventType,
    key: string,
    value: Serialized | null,
    oldValue: Serialized | null,
  ): void {
    // A disconnected client has no member connection carrying the event: it is lost, not queued.
    if (!this.connected) return;
    const handler = registration.listener[type];
    if (typeof handler !== 'function') return;
    setImmediate(() => {
      if (!this.connected) return;
      try {
        const event = new EntryEvent<unknown, unknown>(
          mapName,
          key,
          registration.includeValue ? this.deserialize(value) : null,
          registration.includeValue ? this.deserialize(oldValue) : null,
          null,
          null as never,
        );
        (handler as (event: EntryEvent<unknown, unknown>) => void)(event);
      } catch (error) {
        this.#onUncaught(error);
      }
    });
  }
}

/**
 * The IMap of one client. Keys are strings (compared by value, as their serialized bytes would be);
 * values are serialized like the client does: HazelcastJsonValue and plain objects as JSON text,
 * strings, numbers and booleans as themselves.
 */
export class FakeIMap<K extends string, V> implements Pick<IMap<K, V>, FakeIMapMethod> {
  readonly #client: FakeClient;
  readonly #cluster: FakeCluster;
  readonly name: string;

  constructor(client: FakeClient, name: string) {
    this.#client = client;
    this.#cluster = client.cluster;
    this.name = name;
  }

  get(key: K): Promise<V> {
    assertNotNull(key);
    return this.#invoke('get', () => this.#out(this.#cluster.live(this.name, key)?.value ?? null));
  }

  containsKey(key: K): Promise<boolean> {
    assertNotNull(key);
    return this.#invoke('containsKey', () => this.#cluster.live(this.name, key) !== undefined);
  }

  put(key: K, value: V, ttl?: Ttl, maxIdle?: Ttl): Promise<V> {
    assertNotNull(key);
    assertNotNull(value);
    assertNoMaxIdle(maxIdle);
    const serialized = serialize(value);
    return this.#invoke('put', () => {
      const previous = this.#cluster.live(this.name, key);
      this.#cluster.write(this.name, key, serialized, this.#cluster.effectiveTtl(ttl));
      this.#cluster.publish(
        this.name,
        previous ? 'updated' : 'added',
        key,
        serialized,
        previous?.value ?? null,
      );
      return this.#out(previous?.value ?? null);
    });
  }

  putIfAbsent(key: K, value: V, ttl?: Ttl, maxIdle?: Ttl): Promise<V> {
    assertNotNull(key);
    assertNotNull(value);
    assertNoMaxIdle(maxIdle);
    const serialized = serialize(value);
    return this.#invoke('putIfAbsent', () => {
      const previous = this.#cluster.live(this.name, key);
      if (previous) return this.#out(previous.value);
      this.#cluster.write(this.name, key, serialized, this.#cluster.effectiveTtl(ttl));
      this.#cluster.publish(this.name, 'added', key, serialized, null);
      return this.#out(null);
    });
  }

  replaceIfSame(key: K, oldValue: V, newValue: V): Promise<boolean> {
    assertNotNull(key);
    assertNotNull(oldValue);
    assertNotNull(newValue);
    const expected = serialize(oldValue);
    const replacement = serialize(newValue);
    return this.#invoke('replaceIfSame', () => {
      const entry = this.#cluster.live(this.name, key);
      if (!entry || !sameBytes(entry.value, expected)) return false;
      // A 5.6.0 member gives a replaced entry the map's default TTL (none by default), not the TTL
      // it had (observed with getEntryView): the store calls setTtl after every replace.
      this.#cluster.write(this.name, key, replacement, this.#cluster.defaultTtlSeconds * 1000);
      this.#cluster.publish(this.name, 'updated', key, replacement, entry.value);
      return true;
    });
  }

  remove(key: K, value?: V): Promise<V | boolean> {
    assertNotNull(key);
    assertNotNull(value);
    const expected = value === undefined ? undefined : serialize(value);
    return this.#invoke('remove', (): V | boolean => {
      const entry = this.#cluster.live(this.name, key);
      if (expected !== undefined) {
        if (!entry || !sameBytes(entry.value, expected)) return false;
        this.#removeEntry(key, entry);
        return true;
      }
      if (!entry) return null as V;
      this.#removeEntry(key, entry);
      return this.#out(entry.value);
    });
  }

  setTtl(key: K, ttl: Ttl): Promise<boolean> {
    assertNotNull(key);
    assertNotNull(ttl);
    return this.#invoke('setTtl', () => {
      const entry = this.#cluster.live(this.name, key);
      if (!entry) return false;
      this.#cluster.write(this.name, key, entry.value, this.#cluster.effectiveTtl(ttl));
      return true;
    });
  }

  entrySetWithPredicate(predicate: Predicate): Promise<Array<[K, V]>> {
    assertNotNull(predicate);
    const matches = compilePredicate(predicate);
    return this.#invoke('entrySetWithPredicate', () => {
      const result: Array<[K, V]> = [];
      for (const key of [...this.#cluster.entries(this.name).keys()]) {
        const entry = this.#cluster.live(this.name, key);
        if (entry && matches(entry.value)) result.push([key as K, this.#out(entry.value)]);
      }
      return result;
    });
  }

  addIndex(indexConfig: IndexConfig): Promise<void> {
    assertNotNull(indexConfig);
    if (!indexConfig.attributes || indexConfig.attributes.length === 0) {
      throw new TypeError('Index config must contain at least one attribute.');
    }
    return this.#invoke('addIndex', () => {
      const error = this.#client.addIndexError;
      if (error) throw error();
      this.#cluster.addIndex(this.name, indexConfig);
    });
  }

  addEntryListener(listener: MapListener<K, V>, key?: K, includeValue?: boolean): Promise<string> {
    return this.#invoke('addEntryListener', () =>
      this.#cluster.register(this.name, {
        client: this.#client,
        listener: listener as MapListener<unknown, unknown>,
        key,
        includeValue: includeValue ?? false,
      }),
    );
  }

  removeEntryListener(listenerId: string): Promise<boolean> {
    // The client drops its local handler at once and only then asks the members; model the first part
    // synchronously so no event reaches a removed listener.
    const removed = this.#cluster.deregister(this.name, listenerId);
    return this.#invoke('removeEntryListener', () => removed);
  }

  #removeEntry(key: string, entry: Entry): void {
    this.#cluster.entries(this.name).delete(key);
    this.#cluster.publish(this.name, 'removed', key, null, entry.value);
  }

  #out(value: Serialized | null): V {
    return this.#client.deserialize(value) as V;
  }

  #invoke<T>(method: string, operation: () => T): Promise<T> {
    return this.#client.invoke(method, operation);
  }
}

function serialize(value: unknown): Serialized {
  if (value instanceof HazelcastJsonValue) return { kind: 'json', text: value.toString() };
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return { kind: 'primitive', value };
  }
  if (typeof value === 'object' && value !== null) return { kind: 'json', text: JSON.stringify(value) };
  throw new RangeError(`There is no suitable serializer for ${String(value)}`);
}

function sameBytes(a: Serialized, b: Serialized): boolean {
  if (a.kind === 'json' && b.kind === 'json') return a.text === b.text;
  if (a.kind === 'primitive' && b.kind === 'primitive') return a.value === b.value;
  return false;
}

function assertNotNull(value: unknown): void {
  // The client asserts with notStrictEqual(v, null), synchronously, before any round trip.
  if (value === null) {
    const error = new Error('Non null value expected.');
    error.name = 'AssertionError';
    throw error;
  }
}

function assertNoMaxIdle(maxIdle: Ttl | undefined): void {
  if (maxIdle !== undefined) throw new Error('FakeIMap does not model maxIdle');
}

/** Internal fields of the client's predicate classes (serialization/DefaultPredicates.js). */
interface PredicateFields {
  readonly factoryId: number;
  readonly classId: number;
  readonly field?: string;
  readonly value?: unknown;
  readonly sql?: string;
}

const PREDICATE_FACTORY_ID = -20;
const SQL_CLASS_ID = 0;
const EQUAL_CLASS_ID = 3;

/**
 * Supports exactly the predicates the store may send: `Predicates.equal(attribute, value)` and
 * `Predicates.sql("attribute = 'text'")`. Anything else throws, so the store cannot come to depend
 * on query behaviour the double does not model.
 */
function compilePredicate(predicate: Predicate): (value: Serialized) => boolean {
  const p = predicate as unknown as PredicateFields;
  if (p.factoryId !== PREDICATE_FACTORY_ID) throw new Error('FakeIMap models only built-in predicates');
  if (p.classId === EQUAL_CLASS_ID && typeof p.field === 'string') return equalTo(p.field, p.value);
  if (p.classId === SQL_CLASS_ID && typeof p.sql === 'string') {
    const match = /^\s*([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\s*=\s*'((?:[^']|'')*)'\s*$/.exec(p.sql);
    if (!match) throw new Error(`FakeIMap models only "attribute = 'text'" SQL predicates, not: ${p.sql}`);
    return equalTo(match[1]!, match[2]!.replaceAll("''", "'"));
  }
  throw new Error(`FakeIMap does not model predicate class ${p.classId}`);
}

/**
 * Equality on a JSON attribute path. Hazelcast treats JSON strings, booleans and null as their Java
 * counterparts and numbers as long or double; a document that does not parse matches nothing here
 * (Hazelcast: "ill-formatted json strings may cause false positive or false negative results").
 */
function equalTo(path: string, expected: unknown): (value: Serialized) => boolean {
  const steps = path.split('.');
  return (value) => {
    if (value.kind !== 'json') return false;
    let current: unknown;
    try {
      current = JSON.parse(value.text);
    } catch {
      return false;
    }
    for (const step of steps) {
      if (typeof current !== 'object' || current === null || !Object.hasOwn(current, step)) return false;
      current = (current as Record<string, unknown>)[step];
    }
    if (typeof expected === 'number') return typeof current === 'number' && current === expected;
    return current === expected;
  };
}
