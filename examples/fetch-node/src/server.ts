import { serveFetch } from '@sess/fetch/node';
import { app, repository } from './app.js';

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';

const server = serveFetch(app).listen(port, host, () => {
  console.log(`@sess demo (node:http + @sess/fetch + memory) listening on http://${host}:${port}`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close(() => {
      void repository.close().then(() => process.exit(0));
    });
    server.closeAllConnections();
  });
}
