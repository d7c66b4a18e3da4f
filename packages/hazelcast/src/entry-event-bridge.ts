import { type StoreEvent, StoreUnavailableError } from '@sess/core';
import type { EntryEvent, HazelcastJsonValue, MapListener } from 'hazelcast-client';
import { readStored } from './stored-session.js';

type Listener = (event: StoreEvent) => void;

export interface EntryEventBridgeOptions {
  /** Registers the map listener (bounded and typed by the store); resolves the registration id. */
  register(listener: MapListener<string, HazelcastJsonValue>): Promise<string>;
  /** Removes a registration. */
  deregister(registrationId: string): Promise<unknown>;
  onBackgroundError(error: unknown, source: 'listener' | 'events'): void;
}

/**
 * Turns IMap entry events into store events and manages the one map listener this store registers
 * while it has subscribers.
 *
 *   added    -> 'created', or 'id-changed' when the new entry carries `renamedFrom`
 *   removed  -> 'deleted', except the removal of a rename tombstone
 *   expired  -> 'expired' (TTL reached; the member removed it)
 *   evicted  -> 'expired' (max-size eviction; the session is gone without a delete, as Spring Session
 *               reports it)
 *   updated, merged, loaded -> nothing (saves, touches and rename tombstones)
 *
 * Reconnects: the client's ListenerService keeps every registration and re-sends it on each new
 * member connection (CONNECTION_ADDED), under the same registration id. So once `register` succeeds
 * nothing here needs to re-register; events that happen while this client is disconnected are not
 * replayed. Only the first registration is retried here, because it may be attempted during an outage.
 */
export class EntryEventBridge {
  readonly #options: EntryEventBridgeOptions;
  readonly #listeners = new Set<Listener>();
  #registrationId: string | null = null;
  /** Settles when the current registration attempt has succeeded or failed once. */
  #firstAttempt: Promise<void> | null = null;
  #running = false;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: EntryEventBridgeOptions) {
    this.#options = options;
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    if (!this.#running) this.#start();
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) void this.#stop();
    };
  }

  /**
   * Writes wait for this, so a change made right after `subscribe()` is not missed because the
   * listener was still being registered. Never rejects.
   */
  get pending(): Promise<void> | null {
    return this.#firstAttempt;
  }

  async close(): Promise<void> {
    this.#listeners.clear();
    await this.#stop();
  }

  #start(): void {
    this.#running = true;
    let settle: () => void = () => undefined;
    const firstAttempt = new Promise<void>((resolve) => {
      settle = resolve;
    });
    this.#firstAttempt = firstAttempt;
    const attempt = async (delayMs: number): Promise<void> => {
      try {
        const id = await this.#options.register(this.#mapListener);
        if (this.#running) this.#registrationId = id;
        else await this.#options.deregister(id).catch(() => undefined);
      } catch (error) {
        if (this.#running) {
          this.#options.onBackgroundError(
            new StoreUnavailableError(
              `could not register the map entry listener; session events are delayed until it succeeds (retrying in ${delayMs} ms)`,
              { cause: error },
            ),
            'listener',
          );
          this.#retryTimer = setTimeout(() => void attempt(Math.min(delayMs * 2, 30_000)), delayMs);
          (this.#retryTimer as { unref?: () => void }).unref?.();
        }
      } finally {
        settle();
        if (this.#firstAttempt === firstAttempt) this.#firstAttempt = null;
      }
    };
    void attempt(500);
  }

  async #stop(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#retryTimer);
    const id = this.#registrationId;
    this.#registrationId = null;
    if (id === null) return;
    try {
      await this.#options.deregister(id);
    } catch (error) {
      // The client drops its local handler before asking the members, so no event reaches us anyway.
      this.#options.onBackgroundError(error, 'listener');
    }
  }

  #emit(event: StoreEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // Core wraps its own listeners; a foreign subscriber's failure must not reach the client.
      }
    }
  }

  /**
   * The client calls these from process.nextTick: anything thrown here would be an uncaught exception
   * and crash the process, so each handler catches everything.
   */
  readonly #mapListener: MapListener<string, HazelcastJsonValue> = {
    added: (event) => this.#guard(event, () => this.#added(event)),
    removed: (event) => this.#guard(event, () => this.#gone('deleted', event)),
    expired: (event) => this.#guard(event, () => this.#gone('expired', event)),
    evicted: (event) => this.#guard(event, () => this.#gone('expired', event)),
  };

  #guard(_event: EntryEvent<string, HazelcastJsonValue>, handle: () => void): void {
    try {
      if (this.#listeners.size > 0) handle();
    } catch (error) {
      this.#options.onBackgroundError(error, 'events');
    }
  }

  #added(event: EntryEvent<string, HazelcastJsonValue>): void {
    const stored = readOrNull(event.key, event.value);
    // A tombstone is never added, and an unreadable value is not a session anyone could load.
    if (stored?.kind !== 'session') return;
    const principal = stored.data.principal;
    const previousId = stored.data.renamedFrom;
    if (previousId !== undefined) {
      this.#emit({ type: 'id-changed', sessionId: event.key, previousId, principal });
    } else {
      this.#emit({ type: 'created', sessionId: event.key, principal });
    }
  }

  #gone(type: 'deleted' | 'expired', event: EntryEvent<string, HazelcastJsonValue>): void {
    // Members put the removed value in oldValue; `value` is null for removals and expiry.
    const stored = readOrNull(event.key, event.oldValue ?? event.value);
    if (stored?.kind === 'moved') return;
    this.#emit({ type, sessionId: event.key, principal: stored?.data.principal ?? null });
  }
}

/** Events still count when the value is missing or unreadable; only the principal is lost then. */
function readOrNull(key: string, value: unknown): ReturnType<typeof readStored> | null {
  if (value === null || value === undefined) return null;
  try {
    return readStored(key, value);
  } catch {
    return null;
  }
}
