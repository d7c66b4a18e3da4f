import { createSessionRepository } from '@sess/core';
import { session } from '@sess/koa';
import { MemoryStore } from '@sess/memory';
import Koa from 'koa';
import { SESS_IDLE_TIMEOUT, sessCookie } from './cookie-settings.js';
import { announce } from './listen.js';

const app = new Koa();
const repository = createSessionRepository({ store: new MemoryStore(), ...SESS_IDLE_TIMEOUT });
app.use(session({ repository, cookie: sessCookie() }));
app.use((ctx) => {
  if (ctx.path === '/inc') {
    const count = ((ctx.session.get('count') as number | undefined) ?? 0) + 1;
    ctx.session.set('count', count);
    ctx.body = String(count);
  } else if (ctx.path === '/read') {
    ctx.body = String(ctx.session.get('count') ?? 0);
  }
});
announce(app.listen(Number(process.env.PORT ?? 0), '127.0.0.1'));
