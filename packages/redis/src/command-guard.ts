import { isSessionError, SessionDecodeError, StoreUnavailableError } from '@sess/core';
import type { RedisClient } from './redis-client.js';
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

  constructor(client: RedisClient, timeoutMs: number, batchWrites = false) {
    this.#client = client;
    this.#timeoutMs = timeoutMs;
    this.#batcher = new WriteBatcher(client, batchWrites);
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
    // One promise and one timer per operation (no Promise.race, no async wrapper): this is on the
    // path of every request.
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new StoreUnavailableError(
            `Redis ${operation} did not answer within ${this.#timeoutMs} ms (commandTimeoutMs); Redis is down or overloaded`,
          ),
        );
      }, this.#timeoutMs);
      const fail = (error: unknown) => {
        clearTimeout(timer);
        reject(translate(operation, error));
      };
      let pending: Promise<T>;
      try {
        pending = command();
      } catch (error) {
        fail(error);
        return;
      }
      pending.then((value) => {
        clearTimeout(timer);
        resolve(value);
      }, fail);
    });
  }
}

/** Maps what ioredis rejects with to @sess' typed errors; our own errors pass through unchanged. */
export function translate(operation: string, error: unknown): unknown {
  if (isSessionError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/WRONGTYPE/.test(message)) {
    return new SessionDecodeError(`Redis ${operation}: the session key holds a value of the wrong type`, {
      cause: error,
    });
  }
  return new StoreUnavailableError(`Redis ${operation} failed: ${message}`, { cause: error });
}
