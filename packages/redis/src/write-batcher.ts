import { isCluster, type RedisClient } from './redis-client.js';

interface CorkableStream {
  cork(): void;
  uncork(): void;
}

/**
 * Coalesces the socket writes of the commands the store sends within one event-loop iteration into
 * one `writev`, the way node-redis does it. ioredis writes every command with its own `write` system
 * call; on a busy server (many requests, each a load and a save) those calls are a large share of the
 * CPU a request costs. The store corks the connection's socket before its first command of an
 * iteration and uncorks it in `setImmediate`, after the poll phase has handed it all the I/O that was
 * ready, so commands of concurrent requests leave together. Nothing waits longer than the rest of the
 * current iteration; replies and errors are unaffected. Other commands sent on the same client in that
 * window join the batch.
 *
 * Only for a standalone / Sentinel `Redis` (a Cluster has one socket per node: left alone), and not
 * when the client already batches with `enableAutoPipelining`.
 */
export class WriteBatcher {
  readonly #client: RedisClient;
  readonly #enabled: boolean;
  #held: CorkableStream | null = null;
  readonly #release = () => {
    const stream = this.#held;
    this.#held = null;
    // Uncorking a socket that was closed or replaced meanwhile is harmless.
    stream?.uncork();
  };

  constructor(client: RedisClient, enabled: boolean) {
    this.#client = client;
    this.#enabled =
      enabled &&
      !isCluster(client) &&
      (client.options as { enableAutoPipelining?: boolean } | undefined)?.enableAutoPipelining !== true;
  }

  /** Call right before sending a command: holds the socket's writes until the end of this iteration. */
  hold(): void {
    if (!this.#enabled || this.#held !== null) return;
    const client = this.#client;
    if (client.status !== 'ready') return;
    const stream = (client as { stream?: Partial<CorkableStream> }).stream;
    if (typeof stream?.cork !== 'function' || typeof stream.uncork !== 'function') return;
    stream.cork();
    this.#held = stream as CorkableStream;
    setImmediate(this.#release);
  }
}
