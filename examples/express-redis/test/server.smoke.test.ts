import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteKeys, REDIS_URL, requireRedis, runPrefix } from './redis-env.js';

const serverPath = fileURLToPath(new URL('../src/server.ts', import.meta.url));
const packageDir = fileURLToPath(new URL('..', import.meta.url));

interface Started {
  child: ChildProcess;
  url: string;
  stdout: () => string;
}

/** Runs src/server.ts the way `pnpm start` does (through tsx) on a free port; resolves when it listens. */
async function startServer(env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', serverPath], {
    cwd: packageDir,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not listen within 15 s: ${err}`)), 15_000);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${err}`)));
    child.stdout!.on('data', () => {
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
  });
  return { child, url, stdout: () => out };
}

/** A browser tab: keeps the `sid` cookie the server sets and sends it back. */
class Tab {
  cookie = '';
  constructor(readonly base: string) {}

  async get(path: string): Promise<{ status: number; text: string }> {
    const response = await fetch(this.base + path, { headers: this.cookie ? { cookie: this.cookie } : {} });
    for (const line of response.headers.getSetCookie()) {
      if (!line.startsWith('sid=')) continue;
      const value = line.split(';')[0]!;
      const cleared = value === 'sid=' || /max-age=0(;|$)/i.test(line);
      this.cookie = cleared ? '' : value;
    }
    return { status: response.status, text: await response.text() };
  }

  get id(): string {
    return this.cookie.slice('sid='.length);
  }
}

describe('src/server.ts with Redis unreachable', () => {
  it('refuses to start with one clear line, without hanging', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', serverPath], {
      cwd: packageDir,
      env: { ...process.env, PORT: '0', REDIS_URL: 'redis://127.0.0.1:1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk));
    const started = Date.now();
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(1);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(err.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^Cannot reach Redis at redis:\/\/127\.0\.0\.1:1 .*start Redis or set REDIS_URL$/,
      ),
    ]);
  });
});

describe('src/server.ts never logs a credential', () => {
  for (const [what, url] of [
    ['unreachable', 'redis://admin:s3cret-pw@127.0.0.1:1'],
    ['refusing the credentials', `redis://admin:s3cret-pw@${new URL(REDIS_URL).host}`],
  ] as const) {
    it(`masks the password of REDIS_URL when Redis is ${what}`, async () => {
      const child = spawn(process.execPath, ['--import', 'tsx', serverPath], {
        cwd: packageDir,
        env: { ...process.env, PORT: '0', REDIS_URL: url },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout!.on('data', (chunk: Buffer) => (output += chunk));
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(1);
      expect(output).toContain('redis://***@');
      expect(output).not.toContain('s3cret-pw');
    });
  }
});

const prefix = runPrefix('smoke');

if (await requireRedis('the example smoke test')) {
  describe('src/server.ts on Redis: the example route contract over HTTP', () => {
    let server: Started;
    const inspector = new Redis(REDIS_URL, { lazyConnect: true });

    beforeAll(async () => {
      await inspector.connect();
      server = await startServer({ REDIS_URL, SESS_PREFIX: prefix });
    });
    afterAll(async () => {
      if (server?.child.exitCode === null) {
        server.child.kill('SIGKILL');
        await once(server.child, 'exit');
      }
      await deleteKeys(inspector, `${prefix}*`);
      await inspector.quit();
    });

    const sessionKeys = () => inspector.keys(`${prefix}*:s:*`);

    it('serves a page naming the store and adapter', async () => {
      const page = await new Tab(server.url).get('/');
      expect(page.status).toBe(200);
      expect(page.text).toMatch(/Express \+ Redis/);
      expect(await sessionKeys()).toEqual([]); // anonymous reads create nothing
    });

    it('counts, sets and gets attributes in a session stored in Redis', async () => {
      const tab = new Tab(server.url);
      expect(await tab.get('/inc')).toEqual({ status: 200, text: '1' });
      expect(await tab.get('/inc')).toEqual({ status: 200, text: '2' });
      expect((await tab.get('/set?k=color&v=blue')).status).toBe(200);
      expect(await tab.get('/get?k=color')).toEqual({ status: 200, text: '"blue"' });
      expect(await tab.get('/get?k=missing')).toEqual({ status: 200, text: 'null' });
      expect((await sessionKeys()).some((key) => key.endsWith(`:s:${tab.id}`))).toBe(true);
    });

    it('login rotates the id, keeps the data and indexes the session; logout invalidates it', async () => {
      const laptop = new Tab(server.url);
      const phone = new Tab(server.url);
      expect((await laptop.get('/me')).status).toBe(401);
      expect((await laptop.get('/sessions')).status).toBe(401);
      await laptop.get('/set?k=cart&v=3');
      const anonymousId = laptop.id;

      expect(await laptop.get('/login?user=alice')).toEqual({ status: 200, text: 'logged in as alice' });
      expect(laptop.id).not.toBe(anonymousId);
      expect(await laptop.get('/get?k=cart')).toEqual({ status: 200, text: '"3"' });
      expect(JSON.parse((await laptop.get('/me')).text)).toEqual({ user: 'alice' });
      // The old id is dead: presenting it again gives an empty session.
      const stale = new Tab(server.url);
      stale.cookie = `sid=${anonymousId}`;
      expect(await stale.get('/get?k=cart')).toEqual({ status: 200, text: 'null' });

      await phone.get('/login?user=alice');
      const listed = JSON.parse((await laptop.get('/sessions')).text) as { id: string; current: boolean }[];
      expect(listed).toHaveLength(2);
      expect(listed.filter((s) => s.current)).toHaveLength(1);
      for (const s of listed) expect([laptop.id, phone.id]).not.toContain(s.id); // masked

      const loggedInId = laptop.id;
      expect(await laptop.get('/logout')).toEqual({ status: 200, text: 'logged out' });
      expect(laptop.cookie).toBe(''); // cookie cleared
      const replay = new Tab(server.url);
      replay.cookie = `sid=${loggedInId}`;
      expect((await replay.get('/me')).status).toBe(401); // the destroyed id no longer works
      const remaining = JSON.parse((await phone.get('/sessions')).text) as { current: boolean }[];
      expect(remaining).toEqual([expect.objectContaining({ current: true })]);
    });

    it('logs one line and exits cleanly on SIGTERM', async () => {
      server.child.kill('SIGTERM');
      const [code] = (await once(server.child, 'exit')) as [number | null];
      expect(code).toBe(0);
      expect(server.stdout().trim().split('\n')).toHaveLength(1);
    });
  });
} else {
  describe.skip(`src/server.ts on Redis at ${REDIS_URL}`, () => {
    it('needs a reachable Redis', () => undefined);
  });
}
