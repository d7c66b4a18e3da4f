import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { defineExampleContract } from '@sess/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_URL, dropSchema, requireDatabase, runSchema } from './database.js';

const cwd = fileURLToPath(new URL('..', import.meta.url));

describe('src/server.ts with PostgreSQL unreachable', () => {
  it('refuses to start with one clear line and a non-zero exit, without hanging', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd,
      env: { ...process.env, PORT: '0', DATABASE_URL: 'postgres://postgres@127.0.0.1:1/test' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk));
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk));
    const started = Date.now();
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(1);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(out).toBe('');
    expect(err.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^Cannot use PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:1\/test \(.*ECONNREFUSED.*\); start PostgreSQL or set DATABASE_URL$/,
      ),
    ]);
  });
});

describe('src/server.ts never logs a credential', () => {
  it('masks the password of DATABASE_URL when PostgreSQL is unreachable', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd,
      env: { ...process.env, PORT: '0', DATABASE_URL: 'postgres://postgres:s3cret-pw@127.0.0.1:1/test' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(1);
    expect(output).toContain('postgres://postgres:***@127.0.0.1:1/test');
    expect(output).not.toContain('s3cret-pw');
  });
});

if (await requireDatabase('the fastify-postgres example tests')) {
  const schema = runSchema('contract');
  afterAll(() => dropSchema(schema));

  defineExampleContract({ name: 'fastify-postgres', cwd, env: { DATABASE_URL, SESS_SCHEMA: schema } });

  describe('src/server.ts on PostgreSQL: concurrent writes to one session', () => {
    let child: ChildProcess;
    let url = '';

    beforeAll(async () => {
      child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
        cwd,
        env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_URL, SESS_SCHEMA: schema },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no listening line within 20 s:\n${output}`)),
          20_000,
        );
        const onData = (chunk: Buffer) => {
          output += chunk;
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
          if (match) {
            clearTimeout(timer);
            resolve(match[1]!);
          }
        };
        child.stdout!.on('data', onData);
        child.stderr!.on('data', onData);
        child.once('exit', (code) => reject(new Error(`example exited with ${code}:\n${output}`)));
      });
    });

    afterAll(async () => {
      if (child && child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    });

    it('50 concurrent requests setting different attributes all persist', async () => {
      const first = await fetch(`${url}/inc`);
      expect(await first.text()).toBe('1');
      const cookie = first.headers
        .getSetCookie()
        .find((line) => line.startsWith('sid='))!
        .split(';')[0]!;
      const id = cookie.slice('sid='.length);

      const responses = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          fetch(`${url}/set?k=a${i}&v=v${i}`, { headers: { cookie } }).then(async (r) => ({
            status: r.status,
            body: await r.text(),
          })),
        ),
      );
      expect(responses.filter((r) => r.status !== 200)).toEqual([]);

      // Every attribute reads back through the app, and the row holds all of them plus the counter.
      const read = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          fetch(`${url}/get?k=a${i}`, { headers: { cookie } }).then((r) => r.json()),
        ),
      );
      expect(read).toEqual(Array.from({ length: 50 }, (_, i) => `v${i}`));
      expect(await (await fetch(`${url}/inc`, { headers: { cookie } })).text()).toBe('2');

      const client = new pg.Client({ connectionString: DATABASE_URL });
      await client.connect();
      try {
        const { rows } = await client.query<{ names: string[] }>(
          `SELECT array(SELECT jsonb_object_keys(attributes)) AS names FROM "${schema}"."sess_sessions" WHERE id = $1`,
          [id],
        );
        expect(rows).toHaveLength(1);
        expect(new Set(rows[0]!.names)).toEqual(
          new Set(['count', ...Array.from({ length: 50 }, (_, i) => `a${i}`)]),
        );
      } finally {
        await client.end();
      }
    });

    it('a /login racing 30 concurrent /set: every write that found the session reaches the rotated one', async () => {
      const first = await fetch(`${url}/inc`);
      const sidOf = (response: Response) =>
        response.headers
          .getSetCookie()
          .find((line) => line.startsWith('sid='))
          ?.split(';')[0];
      const cookie = sidOf(first)!;
      const [login, ...sets] = await Promise.all([
        fetch(`${url}/login?user=racer`, { headers: { cookie } }),
        ...Array.from({ length: 30 }, (_, i) => fetch(`${url}/set?k=r${i}&v=${i}`, { headers: { cookie } })),
      ]);
      expect(login.status).toBe(200);
      expect(sets.map((r) => r.status)).toEqual(Array(30).fill(200));
      const rotated = sidOf(login)!;
      expect(rotated).not.toBe(cookie);
      // A /set that arrived after the rename found no session and started a new one (it got a cookie
      // of its own); every other one wrote to the session that was being rotated.
      const raced = sets.flatMap((r, i) => (sidOf(r) === undefined ? [i] : []));
      const read = await Promise.all(
        raced.map((i) => fetch(`${url}/get?k=r${i}`, { headers: { cookie: rotated } }).then((r) => r.json())),
      );
      expect(read).toEqual(raced.map(String));
      expect(raced.length).toBeGreaterThan(0);
    });

    it('logins with unstorable names among concurrent writes: 400 for them, every other write succeeds', async () => {
      const sid = async () => {
        const response = await fetch(`${url}/inc`);
        return response.headers
          .getSetCookie()
          .find((l) => l.startsWith('sid='))!
          .split(';')[0]!;
      };
      const innocents = await Promise.all(Array.from({ length: 20 }, sid));
      const attackers = await Promise.all(Array.from({ length: 4 }, sid));
      for (let round = 0; round < 5; round++) {
        const [bad, good] = await Promise.all([
          Promise.all(
            attackers.map((cookie, i) =>
              fetch(`${url}/login?user=${i % 2 ? '%00' : 'x'.repeat(3000)}`, { headers: { cookie } }),
            ),
          ),
          Promise.all(
            innocents.map((cookie, i) =>
              fetch(`${url}/set?k=round&v=${round}-${i}`, { headers: { cookie } }),
            ),
          ),
        ]);
        expect(bad.map((r) => r.status)).toEqual([400, 400, 400, 400]);
        expect(good.map((r) => r.status)).toEqual(Array(20).fill(200));
      }
    });

    it('exits with 0 on SIGINT', async () => {
      child.kill('SIGINT');
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(0);
    });
  });
}
