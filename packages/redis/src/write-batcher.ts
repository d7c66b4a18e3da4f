import { isCluster, type RedisClient } from './redis-client.js';

interface CorkableStream {
  cork(): void;
  uncork(): void;
}

/**
 * Sockets corked now, shared by every store instance: stores on one client (several prefixes, tests)
 * cork its socket once per iteration, not once each.
 */
const held = new WeakSet<CorkableStream>();

function release(stream: CorkableStream): void {
  held.delete(stream);
  // Uncorking a socket that was closed or replaced meanwhile is harmless.
  stream.uncork();
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

  constructor(client: RedisClient, enabled: boolean) {
    this.#client = client;
    this.#enabled =
      enabled &&
      !isCluster(client) &&
      (client.options as { enableAutoPipelining?: boolean } | undefined)?.enableAutoPipelining !== true;
  }

  /** Call right before sending a command: holds the socket's writes until the end of this iteration. */
  hold(): void {
    if (!this.#enabled || this.#client.status !== 'ready') return;
    const stream = (this.#client as { stream?: CorkableStream }).stream;
    if (!stream || held.has(stream) || typeof stream.cork !== 'function') return;
    stream.cork();
    held.add(stream);
    setImmediate(release, stream);
  }
}
