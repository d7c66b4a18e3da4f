import express from 'express';
import { getIronSession } from 'iron-session';
import { announce } from './listen.js';

// The anchor: iron-session 8 (the last line that runs on Node 20), as its README shows for Express:
// one 32+ character password, ttl 30 min (its cookie's Max-Age follows), save() after a change.
const options = {
  password: 'benchmark-secret-benchmark-secret-benchmark',
  cookieName: 'sid',
  ttl: 30 * 60,
  cookieOptions: { httpOnly: true, sameSite: 'lax' as const, path: '/', secure: false },
};
const app = express();
app.get('/inc', async (req, res) => {
  const data = await getIronSession<{ count?: number }>(req, res, options);
  data.count = (data.count ?? 0) + 1;
  await data.save();
  res.send(String(data.count));
});
app.get('/read', async (req, res) => {
  const data = await getIronSession<{ count?: number }>(req, res, options);
  res.send(String(data.count ?? 0));
});
announce(app.listen(Number(process.env.PORT ?? 0), '127.0.0.1'));
