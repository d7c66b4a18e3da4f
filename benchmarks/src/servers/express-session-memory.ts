import express from 'express';
import session from 'express-session';
import { announce } from './listen.js';

// The anchor: express-session with its bundled MemoryStore, configured like @sess's defaults
// (no session until written, no rewrite of unchanged sessions).
const app = express();
app.use(
  session({
    secret: 'benchmark-secret-benchmark-secret',
    resave: false,
    saveUninitialized: false,
    name: 'sid',
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
