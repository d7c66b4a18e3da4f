import type { Context } from 'koa';
import { principalOf, signedInAttributes } from './signed-in.js';

/** The benchmark routes on an @sess/koa session, whatever the store: /inc, /read and /login. */
export function koaSessRoutes(): (ctx: Context) => Promise<void> {
  let users = 0;
  return async (ctx) => {
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
  };
}
