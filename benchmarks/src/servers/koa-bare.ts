import Koa from 'koa';
import { announce } from './listen.js';

// The ceiling: the same Koa app and routes with no session at all (see express-bare.ts).
let count = 0;
const app = new Koa();
app.use((ctx) => {
  if (ctx.path === '/inc') ctx.body = String(++count);
  else if (ctx.path === '/read') ctx.body = String(count);
});
announce(app.listen(Number(process.env.PORT ?? 0), '127.0.0.1'));
