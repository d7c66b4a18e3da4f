import Koa from 'koa';
import session from 'koa-session';
import { createClient } from 'redis';
import { ONE_DAY_MS, SECRET } from './cookie-settings.js';
import { announce } from './listen.js';
import { signedInAttributes } from './signed-in.js';

/**
 * The anchor: koa-session with an external Redis store on node-redis 5, written the way connect-redis
 * stores sessions (one JSON string per session: GET to read, SET with PX to save, DEL to destroy), so
 * it is as lean as a Redis store for koa-session can be. Cookie settings as every benchmark server's
 * (cookie-settings.ts): signed (`sid.sig`, keyed by `app.keys`), one day, koa-session's defaults
 * otherwise (`rolling: false`: the cookie is re-sent when the session changes).
 */
const client = createClient({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' });
client.on('error', (error: Error) => console.error(`redis: ${error.message}`));
await client.connect();
const prefix = process.env.SESS_PREFIX ?? 'bench:ks:';

const store = {
  async get(key: string) {
    const json = await client.get(prefix + key);
    return json === null ? undefined : (JSON.parse(json) as Record<string, unknown>);
  },
  async set(key: string, sess: Record<string, unknown>, maxAge: number | 'session' | undefined) {
    const ttl = typeof maxAge === 'number' ? maxAge : ONE_DAY_MS;
    await client.set(prefix + key, JSON.stringify(sess), { PX: ttl });
  },
  async destroy(key: string) {
    await client.del(prefix + key);
  },
};

let users = 0;
const app = new Koa();
app.keys = [SECRET];
app.use(session({ key: 'sid', signed: true, maxAge: ONE_DAY_MS, store }, app));
app.use(async (ctx) => {
  const data = ctx.session as unknown as { count?: number };
  if (ctx.path === '/inc') {
    data.count = (data.count ?? 0) + 1;
    ctx.body = String(data.count);
  } else if (ctx.path === '/read') {
    ctx.body = String(data.count ?? 0);
  } else if (ctx.path === '/login') {
    // What a login does: a new id for the now privileged session (koa-session: regenerate()).
    await (ctx.session as unknown as { regenerate(): Promise<void> }).regenerate();
    Object.assign(ctx.session as object, signedInAttributes(++users));
    ctx.body = 'signed in';
  }
});
announce(app.listen(Number(process.env.PORT ?? 0), '127.0.0.1'));
