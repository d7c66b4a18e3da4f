import {
  type RequestSession,
  type SessionData,
  type SessionHandle,
  SessionManager,
  type SessionManagerOptions,
} from '@sess/core';
import { type FetchPort, fetchPort, mergeHeaders } from './fetch-port.js';

export interface FetchSessionOptions<Data extends object = SessionData> extends SessionManagerOptions<Data> {
  /**
   * Decide whether the request is HTTPS (for `secure: 'auto'` cookies) from the first
   * X-Forwarded-Proto value instead of the request URL. Only enable it behind a proxy that sets that
   * header itself: clients can send it too. Default false.
   */
  trustProxy?: boolean;
}

/** Sessions for web-standard handlers: load with getSession(request), send with commit(request, response). */
export interface FetchSessions<Data extends object = SessionData> {
  readonly manager: SessionManager<Data>;
  /**
   * The session of `request`, loaded on first call (no I/O when the request carries no id) and the
   * same object on later calls. Rejects with StoreUnavailableError when the store is down.
   */
  getSession(request: Request): Promise<RequestSession<Data>>;
  /**
   * Saves the session of `request` and returns `response` with its Set-Cookie / id header and
   * Cache-Control: the same object when its headers are mutable, otherwise a copy. Call it once the
   * handler has built its response; a request whose session was never loaded passes through as is.
   */
  commit(request: Request, response: Response): Promise<Response>;
  /**
   * For a handler that threw: saves what it changed on a session the client already holds. There is
   * no response to carry headers, so a new session or a new id (regenerate) is not saved.
   */
  commitAfterError(request: Request): Promise<void>;
}

interface RequestState<Data extends object> {
  port: FetchPort;
  handle: Promise<SessionHandle<Data>>;
}

export function createFetchSessions<Data extends object = SessionData>(
  options: FetchSessionOptions<Data>,
): FetchSessions<Data> {
  const { trustProxy = false, ...managerOptions } = options;
  const manager = new SessionManager<Data>(managerOptions);
  // Keyed by the Request itself, so nothing leaks into user-visible objects and state dies with it.
  const states = new WeakMap<Request, RequestState<Data>>();
  return {
    manager,
    getSession(request) {
      let state = states.get(request);
      if (!state) {
        const port = fetchPort(request, trustProxy);
        state = { port, handle: manager.load(port) };
        states.set(request, state);
      }
      return state.handle.then((handle) => handle.session);
    },
    async commitAfterError(request) {
      // A failed load was the handler's to answer; there is no session to save.
      const handle = await states.get(request)?.handle.catch(() => undefined);
      await handle?.commitWithoutResponse();
    },
    async commit(request, response) {
      const state = states.get(request);
      // A failed load was the handler's to answer; there is no session to save.
      const handle = await state?.handle.catch(() => undefined);
      if (!state || !handle) return response;
      state.port.response = response;
      const saving = handle.commit();
      if (saving !== undefined) await saving; // no await when there is nothing to write
      const committed = mergeHeaders(response, state.port.pending);
      state.port.pending = new Headers(); // a second commit must not send the same cookie twice
      state.port.response = committed;
      return committed;
    },
  };
}
