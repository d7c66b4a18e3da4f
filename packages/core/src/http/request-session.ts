import type { SessionData } from '../session.js';
import { maskSessionId } from '../session-id.js';
import type { SaveOutcome } from '../session-repository.js';
import {
  CURRENT,
  DEFAULT_IDLE,
  DESTROY,
  NOW,
  PEEK,
  PREVENT_CREATION,
  REGENERATE,
  RELOAD,
  SAVE,
  type SessionHandle,
  WRITABLE,
} from './session-handle.js';

/** A Node-style callback, accepted where express-session users pass one. */
export type SessionCallback = (error?: unknown) => void;

/**
 * The session of one HTTP request, as handlers see it (`req.session`, `ctx.session`, ...).
 *
 * Attributes live behind get/set, so no attribute name can shadow a method (`id`, `save`, `then`,
 * `__proto__` are plain data keys). Assigning any other property (`req.session.views = 1`, the
 * express-session habit) throws a TypeError that names `set()`, instead of being silently dropped.
 */
export interface RequestSession<Data extends object = SessionData> {
  /** The session id. Reading it on a request without a session makes an unsaved one. */
  readonly id: string;
  /** True when the session has not been stored yet (the request carried no live session). */
  readonly isNew: boolean;
  readonly createdAt: number;
  readonly lastAccessedAt: number;
  /** When the session expires unless used again (epoch ms). */
  readonly expiresAt: number;
  /** This session's idle timeout in ms; assign to change it for this session only. */
  maxInactiveMs: number;
  /** The principal (user) name this session is indexed by. Set it at login, after `regenerate()`. */
  principal: string | null;
  get<K extends keyof Data & string>(name: K): Data[K] | undefined;
  /** Sets an attribute. Setting `undefined` removes it. */
  set<K extends keyof Data & string>(name: K, value: Data[K]): this;
  remove<K extends keyof Data & string>(name: K): this;
  has<K extends keyof Data & string>(name: K): boolean;
  names(): Array<keyof Data & string>;
  /** All attributes with their values. */
  entries(): Array<[keyof Data & string, Data[keyof Data & string]]>;
  /**
   * Gives the session a new id and keeps its data: call it at login (and privilege changes) against
   * session fixation. The store renames the session when the request commits; the old id stops working.
   */
  regenerate(callback?: SessionCallback): Promise<void>;
  /** Removes the session from the store now and clears the client's id. Later writes start a new session. */
  destroy(callback?: SessionCallback): Promise<void>;
  /** Re-reads the session from the store, discarding this request's unsaved changes. */
  reload(callback?: SessionCallback): Promise<void>;
  /**
   * Saves now and queues the id on the response. The adapter does this by itself before the response
   * is sent; call it earlier only before a long stream or a response you send around the adapter, or
   * to learn what happened: 'gone' means another request destroyed or rotated the session meanwhile
   * and this request's changes were dropped; 'forwarded' that they reached the rotated session.
   */
  save(callback?: SessionCallback): Promise<SaveOutcome | undefined>;
  /** Marks the session as accessed now, even within the touch interval. */
  touch(): void;
  /**
   * Forbids creating a session in this request (REST endpoints, health checks): writing to a request
   * without a stored session then throws SessionCreationForbiddenError. An existing session still works.
   */
  preventCreation(): void;
  /** Metadata and attributes with their values; the id is masked (it is a bearer credential). */
  toJSON(): Record<string, unknown>;
}

const HANDLE = Symbol('sess.handle');

/** Runs `operation`, then reports to `callback` when one is given (express-session's style). */
function settle(operation: () => Promise<void>, callback: SessionCallback | undefined): Promise<void> {
  if (callback === undefined) return operation();
  if (typeof callback !== 'function') {
    throw new TypeError('The session callback must be a function (or leave it out and await the promise)');
  }
  return operation().then(
    () => callback(),
    (error: unknown) => callback(error),
  );
}

/** The methods and accessors the application may use; everything else is refused by the proxy. */
class RequestSessionView<Data extends object> implements RequestSession<Data> {
  readonly [HANDLE]: SessionHandle<Data>;

  constructor(handle: SessionHandle<Data>) {
    this[HANDLE] = handle;
  }

  get id(): string {
    return this[HANDLE][CURRENT]().id;
  }

  get isNew(): boolean {
    return this[HANDLE][PEEK]()?.isNew ?? true;
  }

  get createdAt(): number {
    return this[HANDLE][CURRENT]().createdAt;
  }

  get lastAccessedAt(): number {
    return this[HANDLE][CURRENT]().lastAccessedAt;
  }

  get expiresAt(): number {
    return this[HANDLE][CURRENT]().expiresAt;
  }

  get maxInactiveMs(): number {
    const handle = this[HANDLE];
    return handle[PEEK]()?.maxInactiveMs ?? handle[DEFAULT_IDLE]();
  }

  set maxInactiveMs(value: number) {
    this[HANDLE][WRITABLE]().maxInactiveMs = value;
  }

  get principal(): string | null {
    return this[HANDLE][PEEK]()?.principal ?? null;
  }

  set principal(value: string | null) {
    if (value === this.principal) return;
    this[HANDLE][WRITABLE]().principal = value;
  }

  get<K extends keyof Data & string>(name: K): Data[K] | undefined {
    return this[HANDLE][PEEK]()?.get(name);
  }

  set<K extends keyof Data & string>(name: K, value: Data[K]): this {
    this[HANDLE][WRITABLE]().set(name, value);
    return this;
  }

  remove<K extends keyof Data & string>(name: K): this {
    const session = this[HANDLE][PEEK]();
    if (session?.has(name)) session.remove(name);
    return this;
  }

  has<K extends keyof Data & string>(name: K): boolean {
    return this[HANDLE][PEEK]()?.has(name) ?? false;
  }

  names(): Array<keyof Data & string> {
    return this[HANDLE][PEEK]()?.names() ?? [];
  }

  entries(): Array<[keyof Data & string, Data[keyof Data & string]]> {
    const session = this[HANDLE][PEEK]();
    if (!session) return [];
    return session.names().map((name) => [name, session.get(name) as Data[keyof Data & string]]);
  }

  regenerate(callback?: SessionCallback): Promise<void> {
    return settle(async () => {
      this[HANDLE][REGENERATE]();
    }, callback);
  }

  destroy(callback?: SessionCallback): Promise<void> {
    return settle(() => this[HANDLE][DESTROY](), callback);
  }

  reload(callback?: SessionCallback): Promise<void> {
    return settle(() => this[HANDLE][RELOAD](), callback);
  }

  save(callback?: SessionCallback): Promise<SaveOutcome | undefined> {
    const handle = this[HANDLE];
    if (callback === undefined) return handle[SAVE]();
    return settle(async () => {
      await handle[SAVE]();
    }, callback).then(() => undefined);
  }

  touch(): void {
    const handle = this[HANDLE];
    handle[PEEK]()?.access(handle[NOW]());
  }

  preventCreation(): void {
    this[HANDLE][PREVENT_CREATION]();
  }

  toJSON(): Record<string, unknown> {
    const session = this[HANDLE][PEEK]();
    if (!session) return { isNew: true, attributes: {} };
    return {
      id: maskSessionId(session.id),
      isNew: session.isNew,
      createdAt: session.createdAt,
      lastAccessedAt: session.lastAccessedAt,
      expiresAt: session.expiresAt,
      maxInactiveMs: session.maxInactiveMs,
      principal: session.principal,
      attributes: Object.fromEntries(this.entries()),
    };
  }

  // Node's util.inspect: never print the raw id.
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `RequestSession ${JSON.stringify(this.toJSON())}`;
  }
}

/** Accessors the application may assign; every other assignment is a mistake worth an error. */
const ASSIGNABLE: ReadonlySet<PropertyKey> = new Set(['principal', 'maxInactiveMs']);

const refuseUnknownProperties: ProxyHandler<object> = {
  set(target, property, value) {
    if (ASSIGNABLE.has(property)) return Reflect.set(target, property, value);
    throw new TypeError(
      `Cannot assign session.${String(property)}: session attributes are set with ` +
        `session.set(${JSON.stringify(String(property))}, value) and read with session.get(...)` +
        (property === 'cookie' ? '; cookie options are given to the adapter' : ''),
    );
  },
  defineProperty(_target, property) {
    throw new TypeError(`Cannot define session.${String(property)}: use session.set(name, value)`);
  },
  deleteProperty(_target, property) {
    throw new TypeError(`Cannot delete session.${String(property)}: use session.remove(name)`);
  },
};

/** @internal The application's view of a handle, guarded against the express-session habit of assigning properties. */
export function createRequestSession<Data extends object>(handle: SessionHandle<Data>): RequestSession<Data> {
  return new Proxy<RequestSessionView<Data>>(new RequestSessionView(handle), refuseUnknownProperties);
}

/**
 * For adapters' typed accessors (`sessions.of(req)`): the request's @sess session viewed with the
 * middleware's own Data. Data is a compile-time view of the same attributes, so this is the one place
 * the type is narrowed; anything that is not an @sess session is refused with a TypeError naming `where`.
 */
export function typedSession<Data extends object>(session: unknown, where: string): RequestSession<Data> {
  if (typeof session !== 'object' || session === null || !(HANDLE in session)) {
    throw new TypeError(
      `${where}: the request has no @sess session (is the session middleware installed before this route?)`,
    );
  }
  return session as unknown as RequestSession<Data>;
}
