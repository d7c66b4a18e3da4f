export { type Clock, systemClock } from './clock.js';
export { type AttributeCodec, jsonCodec } from './codec.js';
export {
  isSessionError,
  SessionConfigError,
  SessionConflictError,
  SessionCreationForbiddenError,
  SessionDecodeError,
  SessionEncodeError,
  SessionError,
  type SessionErrorCode,
  StoreUnavailableError,
  UnsupportedCapabilityError,
} from './errors.js';
export { type CookieHmac, useCookieHmac } from './http/cookie-hmac.js';
export {
  type CookieOptions,
  type ResolvedCookieOptions,
  resolveCookieOptions,
} from './http/cookie-options.js';
export { type CookieSigner, type CookieSignerOptions, createCookieSigner } from './http/cookie-signer.js';
export type { HttpPort } from './http/http-port.js';
export { RequestSession } from './http/request-session.js';
export {
  compositeIdResolver,
  cookieIdResolver,
  type HeaderIdResolverOptions,
  headerIdResolver,
  type SessionIdResolver,
} from './http/session-id-resolver.js';
export { createSessionManager, SessionManager, type SessionManagerOptions } from './http/session-manager.js';
export { ListenerSet } from './listener-set.js';
export { Session, type SessionData } from './session.js';
export type { SessionEvent, SessionEventListener, SessionEventOf } from './session-events.js';
export {
  maskSessionId,
  type RandomIdOptions,
  randomIdGenerator,
  type SessionIdGenerator,
} from './session-id.js';
export {
  createSessionRepository,
  type DecodeErrorReport,
  PRINCIPAL_NAME_INDEX,
  SessionRepository,
  type SessionRepositoryOptions,
} from './session-repository.js';
export type {
  EventGap,
  SessionEventType,
  SessionRecord,
  SessionStore,
  SessionTouch,
  SessionWrite,
  StoreCapabilities,
  StoreEvent,
} from './session-store.js';
export { assertStoreCapabilities } from './store-capabilities.js';
