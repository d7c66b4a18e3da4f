/**
 * src/server.ts with no reachable Hazelcast member: it must refuse to start with one clear line and a
 * non-zero exit, within 10 s, and never claim to be listening. Runs everywhere (loopback only).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

async function listen(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as { port: number }).port;
}

/** A loopback port nothing listens on: bound once by us, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  server.close();
  await once(server, 'close');
  return port;
}

async function runServer(members: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: packageDir,
    env: { ...process.env, HAZELCAST_MEMBERS: members, PORT: '0', HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  const started = Date.now();
  const killer = setTimeout(() => child.kill('SIGKILL'), 15_000); // a hang fails the test, not the run
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  clearTimeout(killer);
  return { code, signal, ms: Date.now() - started, stdout, stderr };
}

const hint = 'start one with `docker run -p 5701:5701 hazelcast/hazelcast:5.5` or set HAZELCAST_MEMBERS';

describe('src/server.ts with no reachable Hazelcast member', () => {
  const silent = createServer(() => undefined); // accepts TCP, never answers the handshake
  afterAll(() => {
    silent.close();
  });

  it('refuses to start when the member port is closed: one clear line, exit 1, within 10 s', async () => {
    const port = await closedPort();
    const run = await runServer(`127.0.0.1:${port}`);
    expect(run.signal).toBeNull();
    expect(run.code).toBe(1);
    expect(run.ms).toBeLessThan(10_000);
    expect(run.stdout).not.toMatch(/listening|http:\/\//);
    expect(run.stderr.trim().split('\n')).toEqual([
      `Cannot reach a Hazelcast member at 127.0.0.1:${port} (cluster "dev": connect ECONNREFUSED 127.0.0.1:${port}); ${hint}`,
    ]);
  });

  it('refuses to start, not hang, when the port accepts but never speaks Hazelcast', async () => {
    const port = await listen(silent);
    const run = await runServer(`127.0.0.1:${port}`);
    expect(run.signal).toBeNull();
    expect(run.code).toBe(1);
    expect(run.ms).toBeLessThan(10_000);
    expect(run.stdout).not.toMatch(/listening|http:\/\//);
    expect(run.stderr.trim().split('\n')).toEqual([
      `Cannot reach a Hazelcast member at 127.0.0.1:${port} (cluster "dev": no member answered within 5 s); ${hint}`,
    ]);
  });
});
