import type { SessionEventType, StoreEvent } from './session-store.js';

/** A session event as applications receive it. Same shape as a store event. */
export type SessionEvent = StoreEvent;
export type SessionEventOf<T extends SessionEventType> = Extract<SessionEvent, { type: T }>;
export type SessionEventListener<T extends SessionEventType = SessionEventType> = (
  event: SessionEventOf<T>,
) => void;

/**
 * A small typed emitter. Listener errors are caught and reported, so one faulty listener can neither
 * break a request nor stop other listeners.
 */
export class SessionEventHub {
  readonly #listeners = new Map<SessionEventType, Set<(event: SessionEvent) => void>>();
  readonly #onListenerError: (error: unknown) => void;

  constructor(onListenerError: (error: unknown) => void) {
    this.#onListenerError = onListenerError;
  }

  get size(): number {
    let n = 0;
    for (const set of this.#listeners.values()) n += set.size;
    return n;
  }

  on<T extends SessionEventType>(type: T, listener: SessionEventListener<T>): () => void {
    let set = this.#listeners.get(type);
    if (!set) {
      set = new Set();
      this.#listeners.set(type, set);
    }
    const entry = listener as (event: SessionEvent) => void;
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  }

  emit(event: SessionEvent): void {
    const set = this.#listeners.get(event.type);
    if (!set) return;
    for (const listener of set) {
      try {
        listener(event);
      } catch (error) {
        this.#onListenerError(error);
      }
    }
  }
}
