/**
 * `@sess/core/store`: what a store author needs beyond the contract's types, kept apart from the
 * application API. The built-in stores use exactly these.
 */

export { fromBase64url, toBase64url } from '../encoding/base64url.js';
export type {
  EventGap,
  SessionEventType,
  SessionRecord,
  SessionStore,
  SessionTouch,
  SessionWrite,
  StoreCapabilities,
  StoreEvent,
  UnreadableSession,
} from '../session-store.js';
export { assertStoreCapabilities, storeCapabilities } from '../store-capabilities.js';
export { type DeadlineOptions, withDeadline } from './deadline.js';
export { ListenerSet } from './listener-set.js';
export { isWellFormedSessionId } from './session-id-shape.js';
export { type ErrorKinds, translateStoreError } from './store-errors.js';
export {
  type BackgroundErrorHandler,
  DEFAULT_OPERATION_TIMEOUT_MS,
  logBackgroundError,
  StoreOptionReader,
} from './store-options.js';
