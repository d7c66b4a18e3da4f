import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSessionRepository } from '@sess/core';
import { session } from '@sess/express';
import express from 'express';
import { FileStore } from './file-store.js';

// The custom store in use: a visit counter whose sessions survive server restarts (files on disk).
const directory = process.env.SESSION_DIR ?? join(tmpdir(), 'sess-example-sessions');
const repository = createSessionRepository({ store: new FileStore({ directory }) });
const app = express();
app.use(session({ repository }));
app.get('/', (req, res) => {
  const count = ((req.session.get('count') as number | undefined) ?? 0) + 1;
  req.session.set('count', count);
  res.type('text').send(`visit ${count}; sessions are files in ${directory}\n`);
});

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const server = app.listen(port, host, () =>
  console.log(`custom-store example listening on http://${host}:${port}`),
);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => server.close(() => process.exit(0)));
