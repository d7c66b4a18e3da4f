import { type EventGap, ListenerSet, type StoreEvent } from '@sess/core/store';
import type { Cluster, Redis } from 'ioredis';
import { isCluster, type RedisClient } from './redis-client.js';

type Listener = (event: StoreEvent) => void;

/** Redis' keyevent channel for expirations, in every database. */
const EXPIRED_KEYEVENTS = '__keyevent@*__:expired';

/**
 * The store's own subscriber connection (a duplicate of the user's client: a connection in subscribe
 * mode cannot run other commands). ioredis reconnects it and re-subscribes by itself after a Redis
 * restart or failover; events published while it is disconnected are not replayed (Pub/Sub).
 */
export class EventChannel {
  readonly #channel: string;
  readonly #listeners: ListenerSet<StoreEvent>;
  readonly #onError: (error: unknown) => void;
  readonly #connection: Redis | Cluster;
  readonly #subscribed: Promise<void>;
  readonly #onKeyExpired: ((key: string) => void) | null;
  readonly #gapListeners: ListenerSet<EventGap>;
  /** The subscription was active once; a later disconnection is a gap in delivery. */
  #active = false;
  /** When the subscriber connection went down (null while it is up or before the first subscribe). */
  #downSince: number | null = null;
  #closed = false;

  /**
   * `onKeyExpired`, when given, also listens to keyspace notifications for expired keys (they must be
   * enabled on the server; on a Cluster only the node this connection landed on is heard). They only
   * make the sweeper look sooner; the sweeper alone decides and reports expiries.
   */
  constructor(
    client: RedisClient,
    channel: string,
    onError: (error: unknown) => void,
    onKeyExpired: ((key: string) => void) | null = null,
  ) {
    this.#onKeyExpired = onKeyExpired;
    this.#channel = channel;
    this.#onError = onError;
    // Core's listener hub already isolates application listeners; this guards direct subscribers.
    this.#listeners = new ListenerSet(onError);
    this.#gapListeners = new ListenerSet(onError);
    // The subscriber must wait out outages (its SUBSCRIBE is replayed on reconnect), whatever fail-fast
    // options the user gave the command client.
    this.#connection = isCluster(client)
      ? client.duplicate([], { enableOfflineQueue: true, lazyConnect: false })
      : client.duplicate({ enableOfflineQueue: true, lazyConnect: false, autoResubscribe: true });
    this.#connection.on('error', (error: unknown) => {
      if (!this.#closed) this.#onError(error);
    });
    this.#connection.on('message', (channel: string, message: string) => {
      if (channel === this.#channel) this.#deliver(message);
    });
    this.#connection.on('pmessage', (pattern: string, _channel: string, key: string) => {
      if (pattern === EXPIRED_KEYEVENTS) this.#onKeyExpired?.(key);
    });
    // Delivery gaps: from the moment the connection drops until the channel is subscribed again.
    this.#connection.on('close', () => {
      if (this.#active && this.#downSince === null) this.#downSince = Date.now();
    });
    this.#connection.on('ready', () => {
      if (this.#downSince !== null) void this.#resubscribed();
    });
    this.#subscribed = this.#subscribe().then(() => {
      this.#active = !this.#closed;
    });
  }

  /** Reports each span in which the subscription was down, once it is back. */
  addGapListener(listener: (gap: EventGap) => void): () => void {
    return this.#gapListeners.add(listener);
  }

  /** Resolves once the subscription is active. */
  get subscribed(): Promise<void> {
    return this.#subscribed;
  }

  add(listener: Listener): () => void {
    return this.#listeners.add(listener);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#listeners.clear();
    this.#gapListeners.clear();
    // disconnect() rather than quit(): quit would wait for a reply that never comes while Redis is down.
    this.#connection.disconnect();
  }

  async #subscribe(): Promise<void> {
    // Retries until it works or the store closes: at startup Redis may not be reachable yet.
    for (let delay = 50; !this.#closed; delay = Math.min(delay * 2, 2000)) {
      try {
        await this.#connection.subscribe(this.#channel);
        if (this.#onKeyExpired) await this.#connection.psubscribe(EXPIRED_KEYEVENTS);
        return;
      } catch (error) {
        if (this.#closed) return;
        this.#onError(error);
        await new Promise((resolve) => setTimeout(resolve, delay).unref());
      }
    }
  }

  /**
   * The connection is back: ioredis re-subscribes by itself, but its reply is not observable, so
   * subscribe again (harmless) and report the gap once that is acknowledged.
   */
  async #resubscribed(): Promise<void> {
    const from = this.#downSince;
    if (from === null) return;
    await this.#subscribe();
    if (this.#closed || this.#downSince !== from) return; // closed, or already reported
    this.#downSince = null;
    this.#gapListeners.emit({ from, to: Date.now() });
  }

  #deliver(message: string): void {
    const event = parseEvent(message);
    if (event === null) {
      this.#onError(new Error(`Ignored an unreadable message on ${this.#channel}`));
      return;
    }
    this.#listeners.emit(event);
  }
}

const TYPES = new Set(['created', 'deleted', 'expired', 'id-changed']);

/** Parses a message published by the store's scripts. Null for anything else. */
export function parseEvent(message: string): StoreEvent | null {
  let data: unknown;
  try {
    data = JSON.parse(message);
  } catch {
    return null;
  }
  if (typeof data !== 'object' || data === null) return null;
  const { type, sessionId, previousId, principal } = data as Record<string, unknown>;
  if (typeof type !== 'string' || !TYPES.has(type) || typeof sessionId !== 'string') return null;
  if (principal !== null && principal !== undefined && typeof principal !== 'string') return null;
  const who = typeof principal === 'string' ? principal : null;
  if (type === 'id-changed') {
    if (typeof previousId !== 'string') return null;
    return { type, sessionId, previousId, principal: who };
  }
  return { type: type as 'created' | 'deleted' | 'expired', sessionId, principal: who };
}
