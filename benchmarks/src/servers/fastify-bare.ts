import Fastify from 'fastify';
import { announce } from './listen.js';

// The ceiling: the same Fastify app and routes with no session at all (see express-bare.ts).
let count = 0;
const app = Fastify();
app.get('/inc', async () => String(++count));
app.get('/read', async () => String(count));
announce(app.server);
await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
