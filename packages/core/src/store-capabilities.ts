import { SessionConfigError } from './errors.js';
import type { SessionStore, StoreCapabilities } from './session-store.js';

const METHOD_OF: Record<keyof StoreCapabilities, keyof SessionStore> = {
  findByPrincipal: 'findByPrincipal',
  touch: 'touch',
  changeId: 'changeId',
  events: 'subscribe',
  gaps: 'subscribeGaps',
  cleanup: 'cleanupExpired',
};

/**
 * What a store can do: exactly the optional methods it has. There is no second list to keep in sync;
 * a store that cannot do something (a Redis Cluster without keyspace events, say) leaves the method out.
 */
export function storeCapabilities(store: SessionStore): StoreCapabilities {
  return {
    findByPrincipal: typeof store.findByPrincipal === 'function',
    touch: typeof store.touch === 'function',
    changeId: typeof store.changeId === 'function',
    events: typeof store.subscribe === 'function',
    gaps: typeof store.subscribeGaps === 'function',
    cleanup: typeof store.cleanupExpired === 'function',
  };
}

/**
 * Fails fast, at startup, when an object is not a usable store: a required method missing, or an
 * optional member that is there but is not a method.
 */
export function assertStoreCapabilities(store: SessionStore): void {
  if (!store || typeof store !== 'object') throw new SessionConfigError('A session store object is required');
  const name = typeof store.name === 'string' && store.name ? store.name : 'unnamed';
  for (const method of ['load', 'save', 'delete'] as const) {
    if (typeof store[method] !== 'function') {
      throw new SessionConfigError(`Store "${name}" must implement ${method}()`);
    }
  }
  for (const method of [...Object.values(METHOD_OF), 'close'] as const) {
    const member = store[method];
    if (member !== undefined && typeof member !== 'function') {
      throw new SessionConfigError(
        `Store "${name}" has a ${String(method)} that is not a method; leave it out when the store cannot do it`,
      );
    }
  }
  if (store.subscribeGaps && !store.subscribe) {
    throw new SessionConfigError(`Store "${name}" reports event gaps (subscribeGaps) but has no subscribe()`);
  }
}
