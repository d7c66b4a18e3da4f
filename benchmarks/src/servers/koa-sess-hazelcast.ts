import { createSessionRepository } from '@sess/core';
import { HazelcastStore, type SessionMap, type SessionMapSource } from '@sess/hazelcast';
import { session } from '@sess/koa';
import { Client, JsonStringDeserializationPolicy } from 'hazelcast-client';
import Koa from 'koa';
import { SESS_IDLE_TIMEOUT, sessCookie } from './cookie-settings.js';
import { koaSessRoutes } from './koa-sess-routes.js';
import { announce } from './listen.js';

// Our stack on Koa: @sess/koa + @sess/hazelcast on a user-built client, configured as the store's
// README recommends (raw JSON text). Member calls are counted at the map for GET /__member-calls.
const client = await Client.newHazelcastClient({
  clusterName: process.env.HAZELCAST_CLUSTER_NAME ?? 'dev',
  network: { clusterMembers: (process.env.HAZELCAST_MEMBERS ?? '127.0.0.1:5701').split(',') },
  serialization: { jsonStringDeserializationPolicy: JsonStringDeserializationPolicy.NO_DESERIALIZATION },
  properties: { 'hazelcast.logging.level': 'ERROR' },
});
const memberCalls = new Map<string, number>();
const counting: SessionMapSource = {
  async getMap(name) {
    const map: SessionMap = await client.getMap(name);
    return new Proxy(map, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          memberCalls.set(String(property), (memberCalls.get(String(property)) ?? 0) + 1);
          return value.apply(target, args);
        };
      },
    });
  },
};
const store = new HazelcastStore({
  client: counting,
  mapName: process.env.SESS_MAP_NAME ?? 'bench-sessions',
});
const repository = createSessionRepository({ store, ...SESS_IDLE_TIMEOUT });
const app = new Koa();
app.use(async (ctx, next) => {
  if (ctx.path !== '/__member-calls') return next();
  ctx.body = Object.fromEntries(memberCalls);
  if (ctx.query.reset) memberCalls.clear();
});
app.use(session({ repository, cookie: sessCookie() }));
app.use(koaSessRoutes());
announce(app.listen(Number(process.env.PORT ?? 0), '127.0.0.1'));
