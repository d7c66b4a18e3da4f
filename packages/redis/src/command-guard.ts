import { isSessionError, SessionDecodeError, StoreUnavailableError } from '@sess/core';
import { translateStoreError, withDeadline } from '@sess/core/store';
import type { LuaScript } from './lua-script.js';
import type { RedisClient } from './redis-client.js';
import { REPAIR } from './redis-scripts.js';
import { WriteBatcher } from './write-batcher.js';

/** Connection states in which ioredis would only queue a command (or refuse it): fail at once instead. */
const DOWN = new Set(['reconnecting', 'close', 'end', 'disconnecting']);

/**
 * Bounds every store operation, whatever options the user's client has: an operation either settles
 * within `timeoutMs` or rejects with StoreUnavailableError, and while the client is known to be
 * disconnected it rejects immediately rather than joining ioredis' offline queue. Redis' own
 * WRONGTYPE answers mean the stored data is not ours to read: SessionDecodeError.
 */
export class CommandGuard {
  readonly #client: RedisClient;
  readonly #timeoutMs: number;
  readonly #batcher: WriteBatcher;
  readonly #onRepair: (error: SessionDecodeError) => void;

  constructor(
    client: RedisClient,
    timeoutMs: number,
    batchWrites = false,
    onRepair: (error: SessionDecodeError) => void = () => undefined,
  ) {
    this.#client = client;
    this.#timeoutMs = timeoutMs;
    this.#batcher = new WriteBatcher(client, batchWrites);
    this.#onRepair = onRepair;
  }

  /**
   * Runs one of the store's scripts. A script that finds one of its bookkeeping keys (expiry schedule,
   * owner map) holding another type answers {-2, key, type} before writing anything: the key is
   * replaced, the repair reported, and the script run again. A session key of the wrong type is not
   * ours to replace: it stays a decode error for core to report and remove.
   */
  async script(
    operation: string,
    script: LuaScript,
    keys: readonly string[],
    args: readonly (string | number)[],
  ): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      const reply = await this.run(operation, () => script.run(this.#client, keys, args));
      if (!Array.isArray(reply) || reply[0] !== -2) return reply;
      const key = String(reply[1]);
      const type = String(reply[2]);
      // A script names one key at a time; it has at most two bookkeeping keys.
      if (attempt >= 2) {
        throw new SessionDecodeError(`Redis ${operation}: ${key} still holds a value that is not a ${type}`);
      }
      await this.run(operation, () => REPAIR.run(this.#client, [key], [type]));
      this.reportRepair(key, type);
    }
  }

  /** Reports that a bookkeeping key of the wrong type was replaced. */
  reportRepair(key: string, type: string): void {
    this.#onRepair(
      new SessionDecodeError(
        `Redis key ${JSON.stringify(key)} held another type than the ${type} @sess/redis keeps there; it was replaced (its entries are rebuilt as sessions are written)`,
      ),
    );
  }

  /**
   * Runs a plain command on a bookkeeping key; when Redis answers WRONGTYPE, replaces the key, reports
   * it, and runs the command once more.
   */
  async repairing<T>(operation: string, key: string, type: string, command: () => Promise<T>): Promise<T> {
    try {
      return await this.run(operation, command);
    } catch (error) {
      if (!isWrongType(error)) throw error;
      await this.run(operation, () => REPAIR.run(this.#client, [key], [type]));
      this.reportRepair(key, type);
      return this.run(operation, command);
    }
  }

  run<T>(operation: string, command: () => Promise<T>): Promise<T> {
    const status = this.#client.status;
    if (DOWN.has(status)) {
      return Promise.reject(
        new StoreUnavailableError(
          status === 'end'
            ? `Redis ${operation} failed: the ioredis client was closed (quit/disconnect); the store cannot use it`
            : `Redis ${operation} failed: the connection is ${status}; retry when Redis is back`,
        ),
      );
    }
    this.#batcher.hold();
    return withDeadline(
      {
        store: 'redis',
        operation,
        timeoutMs: this.#timeoutMs,
        classify: (error) => translate(operation, error),
      },
      command,
    );
  }
}

/** Maps what ioredis rejects with to @sess' typed errors: Redis' WRONGTYPE means data not ours to read. */
export function translate(operation: string, error: unknown): Error {
  return translateStoreError('redis', operation, error, {
    isDecode: (e) => /WRONGTYPE/.test(e instanceof Error ? e.message : String(e)),
  });
}

/** A SessionDecodeError made from Redis' WRONGTYPE answer (see translate). */
function isWrongType(error: unknown): boolean {
  return (
    isSessionError(error) &&
    error.code === 'DECODE' &&
    error.cause instanceof Error &&
    /WRONGTYPE/.test(error.cause.message)
  );
}
