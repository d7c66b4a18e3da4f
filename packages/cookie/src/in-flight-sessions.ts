import type { SealedSession } from './sealed-session.js';

/** One request's view of a cookie session, under the per-request key core knows it by. */
export interface InFlightSession {
  key: string;
  /** The state as opened from the cookie, or as last sealed by this request. */
  session: SealedSession;
  /** The token sealed from `session` by this request's last save, for the response. */
  token: string | undefined;
  /** Deleted (logout) or found denied by this request: no further save applies. */
  gone: boolean;
  /** The last operation on this state: operations apply one after another, each on the previous one's result. */
  queue?: Promise<unknown>;
}

/** Most sessions made by a save that no response ever took (repository used without an adapter) kept. */
const MAX_UNBOUND = 10_000;
const SWEEP_EVERY = 4096;

/**
 * The sessions of the requests in flight, by per-request key. Each request gets its own key, so two
 * concurrent requests carrying the same cookie never see each other's state. A state lives exactly as
 * long as its request: it is held by the request's HttpPort (a WeakMap), and found by key through a
 * WeakRef, so nothing is evicted while a request still uses it and nothing outlives the request.
 */
export class InFlightSessions {
  readonly #byKey = new Map<string, WeakRef<InFlightSession>>();
  readonly #byPort = new WeakMap<object, InFlightSession[]>();
  /** Made by a save before any response took them (a new session): held until `bind`. */
  readonly #unbound = new Map<string, InFlightSession>();
  readonly #finalizer =
    typeof FinalizationRegistry === 'function'
      ? new FinalizationRegistry<string>((key) => this.#forgetIfDead(key))
      : undefined;
  #added = 0;

  get(key: string): InFlightSession | undefined {
    return this.#unbound.get(key) ?? this.#byKey.get(key)?.deref();
  }

  /** Registers a state; held by `port` when given, else kept until a response binds it. */
  add(state: InFlightSession, port?: object): void {
    this.#index(state);
    if (port === undefined) {
      this.#unbound.set(state.key, state);
      if (this.#unbound.size > MAX_UNBOUND) this.#unbound.delete(this.#unbound.keys().next().value!);
    } else {
      this.#hold(state, port);
    }
  }

  /** Ties a state to the request whose response carries it. */
  bind(state: InFlightSession, port: object): void {
    if (this.#unbound.get(state.key) === state) this.#unbound.delete(state.key);
    this.#hold(state, port);
  }

  /** The state is now known under `newKey` (an id change). */
  rekey(state: InFlightSession, newKey: string): void {
    const oldKey = state.key;
    if (this.#byKey.get(oldKey)?.deref() === state) this.#byKey.delete(oldKey);
    const unbound = this.#unbound.get(oldKey) === state;
    if (unbound) this.#unbound.delete(oldKey);
    state.key = newKey;
    this.#byKey.set(newKey, new WeakRef(state));
    this.#finalizer?.register(state, newKey);
    if (unbound) this.#unbound.set(newKey, state);
  }

  #hold(state: InFlightSession, port: object): void {
    const held = this.#byPort.get(port);
    if (held === undefined) this.#byPort.set(port, [state]);
    else if (!held.includes(state)) held.push(state);
  }

  #index(state: InFlightSession): void {
    this.#byKey.set(state.key, new WeakRef(state));
    this.#finalizer?.register(state, state.key);
    if (++this.#added % SWEEP_EVERY === 0) this.#sweep();
  }

  #forgetIfDead(key: string): void {
    const ref = this.#byKey.get(key);
    if (ref !== undefined && ref.deref() === undefined) this.#byKey.delete(key);
  }

  /** For runtimes whose FinalizationRegistry never calls back: drop keys of collected states. */
  #sweep(): void {
    for (const [key, ref] of this.#byKey) if (ref.deref() === undefined) this.#byKey.delete(key);
  }
}
