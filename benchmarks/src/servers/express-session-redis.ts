import { RedisStore } from 'connect-redis';
import express from 'express';
import session from 'express-session';
import { createClient } from 'redis';
import { ONE_DAY_MS, SECRET } from './cookie-settings.js';
import { announce } from './listen.js';
import { signedInAttributes } from './signed-in.js';

// The anchor: express-session + connect-redis 9 on node-redis 5 (connect-redis no longer supports
// ioredis), configured like @sess's defaults (no session until written, no rewrite of unchanged ones).
const client = createClient({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' });
client.on('error', (error: Error) => console.error(`redis: ${error.message}`));
await client.connect();

const app = express();
app.use(
  session({
    store: new RedisStore({ client, prefix: process.env.SESS_PREFIX ?? 'bench:cr:' }),
    secret: SECRET,
    resave: false,
    saveUninitialized: false,
    name: 'sid',
    cookie: { maxAge: ONE_DAY_MS, secure: false },
  }),
);
app.get('/inc', (req, res) => {
  const data = req.session as unknown as { count?: number };
  data.count = (data.count ?? 0) + 1;
  res.send(String(data.count));
});
let users = 0;
app.get('/login', (req, res, next) => {
  // What a login does: a new id for the now privileged session, then the user's data.
  // (Typed by hand: this package also loads @sess/express, whose req.session type wins.)
  const session = req.session as unknown as { regenerate(done: (error?: unknown) => void): void };
  session.regenerate((error) => {
    if (error) return next(error);
    Object.assign(req.session, signedInAttributes(++users));
    res.send('signed in');
  });
});
app.get('/read', (req, res) => {
  res.send(String((req.session as unknown as { count?: number }).count ?? 0));
});
announce(app.listen(Number(process.env.PORT ?? 0), '127.0.0.1'));
