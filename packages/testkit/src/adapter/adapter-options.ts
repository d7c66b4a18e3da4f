import {
  createSessionRepository,
  type SessionManagerOptions,
  type SessionRepository,
  type SessionStore,
  StoreUnavailableError,
} from '@sess/core';
import { afterAll, beforeAll } from 'vitest';
import { type InstrumentedStore, instrumentStore } from '../instrument-store.js';
import { FixtureClient } from './http-client.js';

/** A running fixture app: the adapter's framework serving the fixture routes on a loopback port. */
export interface AdapterFixture {
  /** Base URL, e.g. http://127.0.0.1:43123 */
  url: string;
  close(): Promise<void>;
}

export interface AdapterConformanceOptions {
  /** Shown in suite names. */
  name: string;
  /** A fresh store for each fixture (a MemoryStore is usual). */
  createStore(): SessionStore | Promise<SessionStore>;
  /**
   * Starts the adapter's fixture app on port 0 with these session options. It must serve
   * `fixtureRoute` for GET requests, `/redirect` (set "redirected" = true, then the framework's own
   * redirect to /get?k=redirected), `/stream` (set "streamed" = true, then stream "a", "b" with the
   * framework's streaming API), and answer errors with `fixtureErrorResponse`.
   */
  start(options: SessionManagerOptions): AdapterFixture | Promise<AdapterFixture>;
  /**
   * Checks that cannot apply to this setup (e.g. a store that keeps the session in the cookie has
   * no 43-character ids and must re-send the cookie on every save), by exact title, with the reason.
   * They are reported as skipped with that reason, never run and never counted as passed.
   */
  notApplicable?: Readonly<Record<string, string>>;
}

export interface FixtureHandle {
  readonly url: string;
  readonly store: InstrumentedStore;
  readonly repository: SessionRepository;
  client(options?: { header?: string; cookieName?: string }): FixtureClient;
}

/** Starts a fixture with `options` before the suite's tests and stops it after them. */
export function useFixture(
  kit: AdapterConformanceOptions,
  options: Omit<SessionManagerOptions, 'repository'> & { idleTimeoutMs?: number } = {},
): FixtureHandle {
  let fixture: AdapterFixture | undefined;
  let store: InstrumentedStore | undefined;
  let repository: SessionRepository | undefined;
  beforeAll(async () => {
    store = instrumentStore(await kit.createStore());
    const { idleTimeoutMs, ...manager } = options;
    repository = createSessionRepository({ store: store.store, ...(idleTimeoutMs ? { idleTimeoutMs } : {}) });
    fixture = await kit.start({ ...manager, repository });
  });
  afterAll(async () => {
    await fixture?.close();
    await repository?.close();
  });
  const need = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('fixture not started yet (use it inside a test)');
    return value;
  };
  return {
    get url() {
      return need(fixture).url;
    },
    get store() {
      return need(store);
    },
    get repository() {
      return need(repository);
    },
    client(clientOptions = {}) {
      return new FixtureClient(need(fixture).url, clientOptions);
    },
  };
}

export const storeDown = () => new StoreUnavailableError('test: the store is down');
