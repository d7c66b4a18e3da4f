import { createHmac } from 'node:crypto';
import {
  type RequestSession,
  SessionConfigError,
  type SessionData,
  SessionManager,
  type SessionManagerOptions,
  useCookieHmac,
} from '@sess/core';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { fastifyPort } from './fastify-port.js';

// Node's synchronous HMAC for signed cookies (core falls back to Web Crypto, which is asynchronous).
useCookieHmac((secret) => (value) => createHmac('sha256', secret).update(value).digest('base64url'));

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's session (@sess/fastify). For typed attributes use `sessions.of(request)`. */
    session: RequestSession<SessionData>;
  }
}

export type FastifySessionOptions<Data extends SessionData = SessionData> = SessionManagerOptions<Data>;

/** The plugin, plus a typed accessor for the session it attaches. */
export interface FastifySessionPlugin<Data extends SessionData = SessionData> extends FastifyPluginAsync {
  /** The session of `request`, typed with this plugin's Data. */
  of(request: FastifyRequest): RequestSession<Data>;
  readonly manager: SessionManager<Data>;
}

/**
 * A Fastify 5 plugin: loads the session in onRequest when the request carries an id, exposes it as
 * `request.session`, and saves it in onSend, before any header is written (reply.send, redirect,
 * streams). Wrapped with fastify-plugin, so it applies to the scope that registers it and its children:
 * register it at the root for the whole app, or inside a plugin to limit sessions to that plugin.
 */
export function session<Data extends SessionData = SessionData>(
  options: FastifySessionOptions<Data>,
): FastifySessionPlugin<Data> {
  const manager = new SessionManager<Data>(options);
  const plugin = fp(async (app: FastifyInstance) => install(app, manager), {
    fastify: '5.x',
    name: '@sess/fastify',
  });
  return Object.assign(plugin, {
    of: (request: FastifyRequest) => request.session as unknown as RequestSession<Data>,
    manager,
  });
}

/** The same plugin in Fastify's `app.register(plugin, options)` form. */
export const fastifySession: FastifyPluginAsync<FastifySessionOptions> = fp(
  async (app: FastifyInstance, options: FastifySessionOptions) => install(app, new SessionManager(options)),
  { fastify: '5.x', name: '@sess/fastify' },
);

function install<Data extends SessionData>(app: FastifyInstance, manager: SessionManager<Data>): void {
  if (app.hasRequestDecorator('session')) {
    throw new SessionConfigError(
      'request.session is already decorated: register @sess/fastify once per scope, and not together with @fastify/session',
    );
  }
  app.decorateRequest('session', null as unknown as RequestSession);
  app.addHook('onRequest', async (request, reply) => {
    const handle = await manager.load(fastifyPort(request, reply));
    request.session = handle as unknown as RequestSession;
  });
  app.addHook('onSend', async (request, _reply, payload) => {
    // null when loading failed (the error reply passes through here too) or outside this scope
    const handle = request.session as RequestSession | null;
    if (handle === null) return payload;
    // A failing save rejects: Fastify hands the error to the error handler, whose reply passes here
    // again, where core's save() then does nothing.
    if (!handle.trySaveSync()) await handle.save(); // no await when there is nothing to write
    return payload;
  });
}

/**
 * A route hook forbidding session creation on the routes it guards (REST endpoints, health checks):
 * `app.get('/api/x', { preHandler: preventSessionCreation }, handler)`.
 */
export async function preventSessionCreation(request: FastifyRequest): Promise<void> {
  (request.session as RequestSession | null)?.preventCreation();
}
