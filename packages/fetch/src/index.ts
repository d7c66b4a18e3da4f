export {
  type CookieOptions,
  compositeIdResolver,
  cookieIdResolver,
  headerIdResolver,
  isSessionError,
  type RequestSession,
  SessionConfigError,
  SessionCreationForbiddenError,
  type SessionData,
  SessionError,
  type SessionErrorCode,
  type SessionIdResolver,
  StoreUnavailableError,
} from '@sess/core';
export { createFetchSessions, type FetchSessionOptions, type FetchSessions } from './fetch-sessions.js';
export { type SessionHandler, withSession } from './with-session.js';
