import type { SessionStore } from '@sess/core';
import { assertStoreCapabilities } from '@sess/core/store';
import { describe, it } from 'vitest';
import { createManualClock } from './manual-clock.js';
import { crudSuite } from './store/crud.suite.js';
import { dataSuite } from './store/data.suite.js';
import { deltaSuite } from './store/delta.suite.js';
import { eventsSuite } from './store/events.suite.js';
import { expirySuite } from './store/expiry.suite.js';
import { idChangeSuite } from './store/id-change.suite.js';
import { resolveOptions, type StoreConformanceOptions } from './store/options.js';
import { peerEventsSuite } from './store/peer-events.suite.js';
import { principalIndexSuite } from './store/principal-index.suite.js';
import { scaleSuite } from './store/scale.suite.js';
import { unavailableSuite } from './store/unavailable.suite.js';

/**
 * Registers the whole conformance kit for a store as vitest suites. Call it at the top level of a
 * test file. Suites follow the store's capabilities, which are the optional methods it has, so a store
 * cannot have one without passing its tests (find by principal, store-delivered events, cleanup);
 * checks that do not apply (a method the store lacks, a hook not given) are reported as skipped, with
 * the reason.
 * `S`, your store's type, is inferred from `createStore` and handed to every hook.
 */
export function defineStoreConformance<S extends SessionStore>(options: StoreConformanceOptions<S>): void {
  const kit = resolveOptions(options);
  describe(`@sess store conformance: ${kit.name}`, () => {
    it('is a usable store: required methods present, optional members are methods', async () => {
      const store = await kit.createStore({ clock: createManualClock() });
      try {
        assertStoreCapabilities(store);
      } finally {
        await store.close?.();
      }
    });
    crudSuite(kit);
    deltaSuite(kit);
    expirySuite(kit);
    idChangeSuite(kit);
    principalIndexSuite(kit);
    eventsSuite(kit);
    peerEventsSuite(kit);
    dataSuite(kit);
    unavailableSuite(kit);
    scaleSuite(kit);
  });
}
