import type { Server } from 'node:http';

/** Every benchmark server prints "listening <port>" for the harness and exits on SIGTERM. */
export function announce(server: Server): void {
  server.on('listening', () => {
    const address = server.address();
    console.log(`listening ${typeof address === 'object' && address ? address.port : address}`);
  });
  process.on('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}
