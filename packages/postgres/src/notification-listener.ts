import type { Client, Notification } from 'pg';
import { quoteIdentifier } from './sql-identifier.js';
import { withDeadline } from './with-deadline.js';

export interface NotificationListenerOptions {
  /** Already checked by the store; quoted here for LISTEN. */
  readonly channel: string;
  /** A new, unconnected client each time: a connection that died is never reused. */
  readonly createClient: () => Client;
  readonly onPayload: (payload: string) => void;
  /** LISTEN is active again after it was lost: notifications from `from` to `to` (epoch ms) were missed. */
  readonly onGap?: (from: number, to: number) => void;
  /** Connection lost or could not be (re)established; the listener retries by itself afterwards. */
  readonly onError: (error: unknown) => void;
  readonly connectTimeoutMs: number;
  /** How often an idle connection is checked with a `SELECT 1`, so a silently dead link is noticed. */
  readonly heartbeatMs: number;
  readonly minBackoffMs: number;
  readonly maxBackoffMs: number;
}

export type NotificationListenerState = 'stopped' | 'connecting' | 'listening' | 'waiting';

const noop = () => undefined;

/**
 * One dedicated connection that LISTENs on one channel. It lives outside the user's pool (a pooled
 * client held forever would shrink the pool and dodge its health checks) and reconnects with capped,
 * jittered exponential backoff after the server restarts or the backend is terminated, then LISTENs
 * again. Notifications sent while it was disconnected are lost: PostgreSQL does not queue them.
 */
export class NotificationListener {
  readonly #options: NotificationListenerOptions;
  #state: NotificationListenerState = 'stopped';
  #client: Client | null = null;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  #failures = 0;
  /** Bumped on every (re)connect and on stop, so callbacks of an abandoned connection do nothing. */
  #generation = 0;
  /** When an active LISTEN was lost (null while listening, or before the first LISTEN). */
  #lostAt: number | null = null;

  constructor(options: NotificationListenerOptions) {
    this.#options = options;
  }

  get state(): NotificationListenerState {
    return this.#state;
  }

  /** Starts listening (idempotent). */
  start(): void {
    if (this.#state !== 'stopped') return;
    this.#connect();
  }

  async stop(): Promise<void> {
    this.#generation++;
    this.#state = 'stopped';
    this.#failures = 0;
    this.#lostAt = null; // stopped on purpose: nobody is listening, so nothing is missed
    if (this.#retry !== undefined) clearTimeout(this.#retry);
    this.#retry = undefined;
    this.#stopHeartbeat();
    const client = this.#client;
    this.#client = null;
    if (client) await withDeadline(this.#dispose(client), this.#options.connectTimeoutMs).catch(noop);
  }

  #connect(): void {
    const generation = ++this.#generation;
    this.#state = 'connecting';
    let client: Client;
    try {
      client = this.#options.createClient();
    } catch (error) {
      this.#lost(generation, null, error);
      return;
    }
    this.#client = client;
    let lost = false;
    const fail = (error: unknown) => {
      if (lost) return;
      lost = true;
      this.#lost(generation, client, error);
    };
    client.on('error', fail);
    client.on('end', () => fail(new Error('the LISTEN connection was closed')));
    client.on('notification', (message: Notification) => {
      if (generation === this.#generation && message.channel === this.#options.channel && message.payload)
        this.#options.onPayload(message.payload);
    });
    const { connectTimeoutMs } = this.#options;
    withDeadline(client.connect(), connectTimeoutMs)
      .then(() =>
        withDeadline(client.query(`LISTEN ${quoteIdentifier(this.#options.channel)}`), connectTimeoutMs),
      )
      .then(() => {
        if (generation !== this.#generation || lost) return;
        // A background facility: it must not keep the process alive on its own.
        (client as { unref?: () => void }).unref?.();
        this.#state = 'listening';
        this.#failures = 0;
        this.#startHeartbeat(generation, client, fail);
        const lostAt = this.#lostAt;
        this.#lostAt = null;
        if (lostAt !== null) this.#options.onGap?.(lostAt, Date.now());
      })
      .catch(fail);
  }

  #lost(generation: number, client: Client | null, error: unknown): void {
    if (client) void this.#dispose(client);
    if (generation !== this.#generation) return;
    if (this.#state === 'listening') this.#lostAt = Date.now();
    this.#client = null;
    this.#stopHeartbeat();
    this.#state = 'waiting';
    this.#options.onError(error);
    const { minBackoffMs, maxBackoffMs } = this.#options;
    const ceiling = Math.min(maxBackoffMs, minBackoffMs * 2 ** Math.min(this.#failures, 20));
    this.#failures++;
    // Jitter spreads the reconnects of many instances after a database restart.
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      if (generation === this.#generation) this.#connect();
    }, delay);
    this.#retry.unref?.();
  }

  #startHeartbeat(generation: number, client: Client, fail: (error: unknown) => void): void {
    this.#stopHeartbeat();
    if (!(this.#options.heartbeatMs > 0)) return;
    this.#heartbeat = setInterval(() => {
      if (generation !== this.#generation) return;
      withDeadline(client.query('SELECT 1'), this.#options.connectTimeoutMs).catch(fail);
    }, this.#options.heartbeatMs);
    this.#heartbeat.unref?.();
  }

  #stopHeartbeat(): void {
    if (this.#heartbeat !== undefined) clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
  }

  async #dispose(client: Client): Promise<void> {
    client.removeAllListeners('notification');
    client.removeAllListeners('end');
    client.removeAllListeners('error');
    // An ended or broken client may still emit 'error'; with no listener that would crash the process.
    client.on('error', noop);
    await client.end().catch(noop);
  }
}
