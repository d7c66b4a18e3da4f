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
export { fastifyPort } from './fastify-port.js';
export {
  type FastifySessionOptions,
  type FastifySessionPlugin,
  fastifySession,
  preventSessionCreation,
  session,
} from './session-plugin.js';
