import { session } from '@sess/koa';
import Koa from 'koa';
import { sessCookie } from './cookie-settings.js';
import { announce } from './listen.js';
import { sessRedisRepository } from './sess-redis-repository.js';
import { principalOf, signedInAttributes } from './signed-in.js';

// Our stack: @sess/koa + @sess/redis on a user-built ioredis client.
const repository = await sessRedisRepository();

let users = 0;
const app = new Koa();
app.use(session({ repository, cookie: sessCookie() }));
app.use(async (ctx) => {
  if (ctx.path === '/inc') {
    const count = ((ctx.session.get('count') as number | undefined) ?? 0) + 1;
    ctx.session.set('count', count);
    ctx.body = String(count);
  } else if (ctx.path === '/read') {
    ctx.body = String(ctx.session.get('count') ?? 0);
  } else if (ctx.path === '/login') {
    await ctx.session.regenerate(); // what a login does: a new id for the now privileged session
    const user = ++users;
    for (const [name, value] of Object.entries(signedInAttributes(user))) ctx.session.set(name, value);
    ctx.session.principal = principalOf(user);
    ctx.body = 'signed in';
  }
});
announce(app.listen(Number(process.env.PORT ?? 0), '127.0.0.1'));
