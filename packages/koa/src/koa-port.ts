import type { HttpPort } from '@sess/core';
import type { Context } from 'koa';

/** Core's HTTP port over a Koa context. */
export function koaPort(ctx: Context): HttpPort {
  return {
    getRequestHeader(name) {
      const value = ctx.req.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    },
    isSecure: () => ctx.secure, // honours app.proxy (X-Forwarded-Proto when behind a trusted proxy)
    getResponseHeader(name) {
      const value = ctx.res.getHeader(name);
      return value === undefined ? undefined : Array.isArray(value) ? value.join(', ') : String(value);
    },
    setResponseHeader: (name, value) => {
      ctx.set(name, value);
    },
    appendResponseHeader: (name, value) => {
      ctx.append(name, value);
    },
    headersSent: () => ctx.headerSent,
  };
}
