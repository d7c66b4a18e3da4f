import { SessionConfigError } from '@sess/core';
import type { Client as HazelcastClient } from 'hazelcast-client';
import type { SessionMapSource } from './session-map.js';

/** Where a background error happened (`onBackgroundError`'s second argument). */
export type HazelcastBackgroundSource =
  /** Adding the HASH index on `principal` (queries still work, by full scan). */
  | 'index'
  /** Registering or removing the map entry listener. */
  | 'listener'
  /** An entry event that could not be interpreted. */
  | 'events'
  /** Setting an entry's TTL after its write was applied (the write stands; the TTL is retried). */
  | 'ttl'
  /** Removing a rename tombstone, or restoring a session after a rename that could not complete. */
  | 'rename'
  /** An unreadable entry skipped by find-by-principal. */
  | 'find-by-principal';

export interface HazelcastStoreOptions {
  /**
   * The client you built (hazelcast-client 5.x). The store never shuts it down. It must not have a
   * near cache for the session map. Tests may pass any `SessionMapSource`, such as an in-process double.
   */
  client: HazelcastClient | SessionMapSource;
  /** The IMap holding the sessions. Default "sess-sessions". */
  mapName?: string;
  /** Deadline of every map call, in ms; past it the call fails with StoreUnavailableError. Default 2000. */
  operationTimeoutMs?: number;
  /** Compare-and-set attempts per save before giving up with StoreUnavailableError. Default 32. */
  maxWriteAttempts?: number;
  /** First backoff ceiling between compare-and-set attempts, in ms (doubles, capped at 200). Default 2. */
  writeBackoffMs?: number;
  /**
   * Add a HASH index on `principal` through the client when the map is first used. Failures (no
   * permission, for example) go to `onBackgroundError` and are otherwise ignored. Default true.
   */
  addIndex?: boolean;
  /** Errors of work no caller waits for. Default: console.warn. */
  onBackgroundError?: (error: unknown, source: HazelcastBackgroundSource) => void;
}

export interface ResolvedHazelcastStoreOptions {
  readonly source: SessionMapSource;
  readonly mapName: string;
  readonly operationTimeoutMs: number;
  readonly maxWriteAttempts: number;
  readonly writeBackoffMs: number;
  readonly addIndex: boolean;
  readonly onBackgroundError: (error: unknown, source: HazelcastBackgroundSource) => void;
}

const DEFAULT_MAP_NAME = 'sess-sessions';

export function resolveHazelcastStoreOptions(options: HazelcastStoreOptions): ResolvedHazelcastStoreOptions {
  if (typeof options?.client?.getMap !== 'function') {
    throw new SessionConfigError('HazelcastStore needs `client`: a HazelcastClient (hazelcast-client 5.x)');
  }
  const mapName = options.mapName ?? DEFAULT_MAP_NAME;
  if (typeof mapName !== 'string' || mapName.length === 0) {
    throw new SessionConfigError('HazelcastStore `mapName` must be a non-empty string');
  }
  refuseNearCache(options.client, mapName);
  const addIndex = options.addIndex ?? true;
  if (typeof addIndex !== 'boolean')
    throw new SessionConfigError('HazelcastStore `addIndex` must be a boolean');
  const onBackgroundError = options.onBackgroundError ?? warn;
  if (typeof onBackgroundError !== 'function') {
    throw new SessionConfigError('HazelcastStore `onBackgroundError` must be a function');
  }
  return {
    source: options.client as SessionMapSource,
    mapName,
    operationTimeoutMs: positiveInteger('operationTimeoutMs', options.operationTimeoutMs ?? 2000),
    maxWriteAttempts: positiveInteger('maxWriteAttempts', options.maxWriteAttempts ?? 32),
    writeBackoffMs: positiveInteger('writeBackoffMs', options.writeBackoffMs ?? 2),
    addIndex,
    onBackgroundError,
  };
}

/**
 * A client-side near cache serves reads from a local copy that members invalidate asynchronously:
 * a destroyed or renamed session would still load in this process for a while (a logout that does
 * not log out), and compare-and-set would keep comparing against stale text. So it is refused.
 */
function refuseNearCache(client: HazelcastClient | SessionMapSource, mapName: string): void {
  const config = (client as { getConfig?: () => unknown }).getConfig?.() as
    | { getNearCacheConfig?: (name: string) => unknown }
    | undefined;
  if (typeof config?.getNearCacheConfig !== 'function') return;
  if (config.getNearCacheConfig(mapName) != null) {
    throw new SessionConfigError(
      `The Hazelcast client has a near cache configured for the session map "${mapName}" (by name, pattern ` +
        'or "default"): sessions would be read from stale local copies (a destroyed session would still ' +
        'load). Remove that nearCaches entry, or give the sessions a map name it does not match',
    );
  }
}

function positiveInteger(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new SessionConfigError(
      `HazelcastStore \`${name}\` must be a positive integer, got ${String(value)}`,
    );
  }
  return value;
}

function warn(error: unknown, source: HazelcastBackgroundSource): void {
  console.warn(`[@sess/hazelcast] background error (${source}):`, error);
}
