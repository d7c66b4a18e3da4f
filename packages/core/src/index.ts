export { type Clock, systemClock } from './clock.js';
export { type AttributeCodec, jsonCodec } from './codec.js';
export {
  isSessionError,
  SessionConfigError,
  SessionConflictError,
  SessionCreationForbiddenError,
  SessionDataError,
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
export { type RequestSession, type SessionCallback, typedSession } from './http/request-session.js';
export type { SessionHandle } from './http/session-handle.js';
export {
  compositeIdResolver,
  cookieIdResolver,
  type HeaderIdResolverOptions,
  headerIdResolver,
  type SessionIdResolver,
} from './http/session-id-resolver.js';
export { createSessionManager, SessionManager, type SessionManagerOptions } from './http/session-manager.js';
export type { LiveSessionOptions } from './live-sessions.js';
export { Session, type SessionData } from './session.js';
export {
  DEFAULT_MAX_ATTRIBUTES,
  DEFAULT_MAX_ENCODED_LENGTH,
  MAX_NAME_LENGTH,
  MAX_STORED_IDLE_MS,
  type SessionLimits,
} from './session-data-rules.js';
export type { SessionEvent, SessionEventListener, SessionEventOf } from './session-events.js';
export {
  maskSessionId,
  type RandomIdOptions,
  randomIdGenerator,
  type SessionIdGenerator,
} from './session-id.js';
export { checkRecord } from './session-record-check.js';
export {
  createSessionRepository,
  type DecodeErrorReport,
  PRINCIPAL_NAME_INDEX,
  type SaveOutcome,
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
  UnreadableSession,
} from './session-store.js';
export { storeCapabilities } from './store-capabilities.js';
