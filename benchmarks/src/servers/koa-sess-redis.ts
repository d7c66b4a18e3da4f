import { session } from '@sess/koa';
import Koa from 'koa';
import { sessCookie } from './cookie-settings.js';
import { koaSessRoutes } from './koa-sess-routes.js';
import { announce } from './listen.js';
import { sessRedisRepository } from './sess-redis-repository.js';

// Our stack: @sess/koa + @sess/redis on a user-built ioredis client.
const repository = await sessRedisRepository();

const app = new Koa();
app.use(session({ repository, cookie: sessCookie() }));
app.use(koaSessRoutes());
announce(app.listen(Number(process.env.PORT ?? 0), '127.0.0.1'));
