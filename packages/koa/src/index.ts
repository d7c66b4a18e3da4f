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
export { koaPort } from './koa-port.js';
export {
  type KoaSessionMiddleware,
  type KoaSessionOptions,
  preventSessionCreation,
  session,
} from './session-middleware.js';
