import express from 'express';
import { announce } from './listen.js';

// The ceiling: the same Express app and routes with no session at all. No session library can make a
// route faster than this, so it bounds the ratio any of them can reach over the anchor on this machine.
let count = 0;
const app = express();
app.get('/inc', (_req, res) => {
  count++;
  res.send(String(count));
});
app.get('/read', (_req, res) => {
  res.send(String(count));
});
announce(app.listen(Number(process.env.PORT ?? 0), '127.0.0.1'));
