export { type CookieSessions, type CookieSessionsOptions, cookieSessions } from './cookie-sessions.js';
export { CookieTooLargeError } from './cookie-too-large-error.js';
