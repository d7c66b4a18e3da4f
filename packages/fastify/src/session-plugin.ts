import { createHmac } from 'node:crypto';
import {
  type RequestSession,
  SessionConfigError,
  type SessionData,
  type SessionHandle,
  SessionManager,
  type SessionManagerOptions,
  typedSession,
  useCookieHmac,
} from '@sess/core';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { fastifyPort } from './fastify-port.js';

// Node's synchronous HMAC for signed cookies (core falls back to Web Crypto, which is asynchronous).
useCookieHmac((secret) => (value) => createHmac('sha256', secret).update(value).digest('base64url'));

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The request's session (@sess/fastify). Type its attributes once by augmenting SessionData
     * (`declare module '@sess/core' { interface SessionData { ... } }`), or use `sessions.of(request)`.
     */
    session: RequestSession<SessionData>;
  }
}

/** Where the plugin keeps each request's handle: off the user's object, gone with the request. */
const handles = new WeakMap<FastifyRequest, Pick<SessionHandle, 'commit' | 'frameworkSession'>>();

export type FastifySessionOptions<Data extends object = SessionData> = SessionManagerOptions<Data>;

/** The plugin, plus a typed accessor for the session it attaches. */
export interface FastifySessionPlugin<Data extends object = SessionData> extends FastifyPluginAsync {
  /** The session of `request`, typed with this plugin's Data. */
  of(request: FastifyRequest): RequestSession<Data>;
  readonly manager: SessionManager<Data>;
}

/**
 * A Fastify 5 plugin: loads the session in onRequest when the request carries an id, exposes it as
 * `request.session`, and saves it in onSend, before any header is written (reply.send, redirect,
 * streams), error replies included: what a handler changed before it threw is saved. Wrapped with fastify-plugin, so it applies to the scope that registers it and its children:
 * register it at the root for the whole app, or inside a plugin to limit sessions to that plugin.
 */
export function session<Data extends object = SessionData>(
  options: FastifySessionOptions<Data>,
): FastifySessionPlugin<Data> {
  const manager = new SessionManager<Data>(options);
  const plugin = fp(async (app: FastifyInstance) => install(app, manager), {
    fastify: '5.x',
    name: '@sess/fastify',
  });
  return Object.assign(plugin, {
    of: (request: FastifyRequest): RequestSession<Data> =>
      typedSession<Data>(request.session, 'sessions.of(request)'),
    manager,
  });
}

/** The same plugin in Fastify's `app.register(plugin, options)` form. */
export const fastifySession: FastifyPluginAsync<FastifySessionOptions> = fp(
  async (app: FastifyInstance, options: FastifySessionOptions) => install(app, new SessionManager(options)),
  { fastify: '5.x', name: '@sess/fastify' },
);

function install<Data extends object>(app: FastifyInstance, manager: SessionManager<Data>): void {
  if (app.hasRequestDecorator('session')) {
    throw new SessionConfigError(
      'request.session is already decorated: register @sess/fastify once per scope, and not together with @fastify/session',
    );
  }
  // Declared up front (null until onRequest), so every request object has the same shape.
  app.decorateRequest('session', null, []);
  app.addHook('onRequest', async (request, reply) => {
    const handle = await manager.load(fastifyPort(request, reply));
    handles.set(request, handle);
    request.session = handle.frameworkSession;
  });
  app.addHook('onSend', async (request, _reply, payload) => {
    // none when loading failed (the error reply passes through here too) or outside this scope
    const saving = handles.get(request)?.commit();
    // A failing save rejects: Fastify hands the error to the error handler, whose reply passes here
    // again, where the handle then does nothing.
    if (saving !== undefined) await saving; // no await when there is nothing to write
    return payload;
  });
}

/**
 * A route hook forbidding session creation on the routes it guards (REST endpoints, health checks):
 * `app.get('/api/x', { preHandler: preventSessionCreation }, handler)`.
 */
export async function preventSessionCreation(request: FastifyRequest): Promise<void> {
  handles.get(request)?.frameworkSession.preventCreation();
}
