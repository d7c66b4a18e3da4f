import { randomBytes } from 'node:crypto';
import Koa from 'koa';
import { announce } from './listen.js';
import { connectIoredis } from './sess-redis-repository.js';

// The floor of any Redis-backed session on Koa (see express-ioredis-floor.ts): per request the two
// round trips a session needs on a plain ioredis client, and nothing else.
const client = await connectIoredis();
const prefix = process.env.SESS_PREFIX ?? 'bench:floor:';

const app = new Koa();
app.use(async (ctx) => {
  if (ctx.path === '/inc') {
    let key = ctx.headers.cookie;
    if (key === undefined) {
      key = `sid=${randomBytes(32).toString('base64url')}`;
      ctx.set('set-cookie', `${key}; Path=/; HttpOnly`);
    }
    const count = Number((await client.get(prefix + key)) ?? 0) + 1;
    await client.set(prefix + key, String(count), 'PX', 1_800_000);
    ctx.body = String(count);
  } else if (ctx.path === '/read') {
    ctx.body = (await client.get(prefix + ctx.headers.cookie)) ?? '0';
  }
});
announce(app.listen(Number(process.env.PORT ?? 0), '127.0.0.1'));
