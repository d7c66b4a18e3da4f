import { SessionConfigError } from './errors.js';
import type { SessionStore, StoreCapabilities } from './session-store.js';

const METHOD_OF: Record<keyof StoreCapabilities, keyof SessionStore> = {
  findByPrincipal: 'findByPrincipal',
  touch: 'touch',
  changeId: 'changeId',
  events: 'subscribe',
  cleanup: 'cleanupExpired',
};

/** Fails fast, at startup, when a store's declared capabilities and its methods disagree. */
export function assertStoreCapabilities(store: SessionStore): void {
  if (!store || typeof store !== 'object') throw new SessionConfigError('A session store object is required');
  for (const method of ['load', 'save', 'delete'] as const) {
    if (typeof store[method] !== 'function') {
      throw new SessionConfigError(`Store "${store.name}" must implement ${method}()`);
    }
  }
  const capabilities = store.capabilities;
  if (!capabilities || typeof capabilities !== 'object') {
    throw new SessionConfigError(`Store "${store.name}" must declare its capabilities`);
  }
  for (const [capability, method] of Object.entries(METHOD_OF) as [
    keyof StoreCapabilities,
    keyof SessionStore,
  ][]) {
    const declared = capabilities[capability] === true;
    const implemented = typeof store[method] === 'function';
    if (declared !== implemented) {
      throw new SessionConfigError(
        declared
          ? `Store "${store.name}" declares capability "${capability}" but does not implement ${String(method)}()`
          : `Store "${store.name}" implements ${String(method)}() but does not declare capability "${capability}"`,
      );
    }
  }
}
