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
export { expressPort } from './express-port.js';
export {
  type ExpressSessionMiddleware,
  type ExpressSessionOptions,
  preventSessionCreation,
  session,
} from './session-middleware.js';
