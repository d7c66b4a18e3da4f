import Koa from 'koa';
import session from 'koa-session';
import { ONE_DAY_MS, SECRET } from './cookie-settings.js';
import { announce } from './listen.js';

/**
 * koa-session keeps sessions in the cookie itself unless given a store. A cookie session is not what
 * @sess does (server-side state, revocable, indexed), so the anchor gets an in-memory external store:
 * a Map of JSON strings with expiry, like express-session's MemoryStore, so both sides pay for
 * server-side storage and serialization. Cookie settings as every benchmark server's
 * (cookie-settings.ts): signed (koa-session's `sid.sig` cookie, keyed by `app.keys`), one day.
 */
const sessions = new Map<string, { json: string; expiresAt: number }>();
const store = {
  async get(key: string) {
    const entry = sessions.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      sessions.delete(key);
      return undefined;
    }
    return JSON.parse(entry.json) as Record<string, unknown>;
  },
  async set(key: string, sess: Record<string, unknown>, maxAge: number | 'session' | undefined) {
    const ttl = typeof maxAge === 'number' ? maxAge : 86_400_000;
    sessions.set(key, { json: JSON.stringify(sess), expiresAt: Date.now() + ttl });
  },
  async destroy(key: string) {
    sessions.delete(key);
  },
};

const app = new Koa();
app.keys = [SECRET];
app.use(session({ key: 'sid', signed: true, maxAge: ONE_DAY_MS, store }, app));
app.use((ctx) => {
  const data = ctx.session as unknown as { count?: number };
  if (ctx.path === '/inc') {
    data.count = (data.count ?? 0) + 1;
    ctx.body = String(data.count);
  } else if (ctx.path === '/read') {
    ctx.body = String(data.count ?? 0);
  }
});
announce(app.listen(Number(process.env.PORT ?? 0), '127.0.0.1'));
