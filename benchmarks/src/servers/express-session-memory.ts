import express from 'express';
import session from 'express-session';
import { ONE_DAY_MS, SECRET } from './cookie-settings.js';
import { announce } from './listen.js';

// The anchor: express-session with its bundled MemoryStore, configured like @sess's defaults
// (no session until written, no rewrite of unchanged sessions).
const app = express();
app.use(
  session({
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
app.get('/read', (req, res) => {
  res.send(String((req.session as unknown as { count?: number }).count ?? 0));
});
announce(app.listen(Number(process.env.PORT ?? 0), '127.0.0.1'));
