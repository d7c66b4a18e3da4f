import type { Client as HazelcastClient, HazelcastJsonValue, IMap } from 'hazelcast-client';

/**
 * Every IMap method the store calls, and nothing else. Typing the store against this Pick (instead of
 * a hand-written interface) means a method or signature that does not exist in hazelcast-client fails
 * typecheck, and the test double must implement exactly these to be injected.
 */
export type SessionMapMethod =
  | 'get'
  | 'put'
  | 'putIfAbsent'
  | 'replaceIfSame'
  | 'remove'
  | 'setTtl'
  | 'entrySetWithPredicate'
  | 'addIndex'
  | 'addEntryListener'
  | 'removeEntryListener';

/** The part of `IMap<string, HazelcastJsonValue>` the store uses. */
export type SessionMap = Pick<IMap<string, HazelcastJsonValue>, SessionMapMethod>;

/**
 * Where the store gets its map. A `HazelcastClient` is one (its generic `getMap` is assignable to
 * this); tests pass an in-process double instead.
 */
export interface SessionMapSource {
  getMap(name: string): Promise<SessionMap>;
}

// Compile-time proof that a real client is accepted wherever a SessionMapSource is expected.
type Assignable<T, U extends T> = U;
export type _ClientIsAMapSource = Assignable<SessionMapSource, HazelcastClient>;
