import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixtureClient } from '../adapter/http-client.js';

export interface ExampleContractOptions {
  /** Shown in the suite name. */
  name: string;
  /** The example's folder (its package root). */
  cwd: string;
  /** Entry file, run with `node --import tsx`. Default "src/server.ts". */
  script?: string;
  /** Extra environment (store URLs, ...). PORT is set to 0 and HOST to 127.0.0.1. */
  env?: Record<string, string>;
  /** Session cookie name the example uses. Default "sid". */
  cookieName?: string;
}

/**
 * Runs an example app as its users would (its own process, PORT=0) and drives the route contract of
 * DESIGN.md over HTTP: /, /login, /logout, /me, /inc, /set, /get, /sessions; then stops it with
 * SIGTERM and expects a clean exit. The example must log one line containing "http://HOST:PORT".
 */
export function defineExampleContract(options: ExampleContractOptions): void {
  describe(`example route contract: ${options.name}`, () => {
    let child: ChildProcess | undefined;
    let url = '';
    const client = (token?: string) =>
      new FixtureClient(url, { cookieName: options.cookieName ?? 'sid', ...(token ? { token } : {}) });

    beforeAll(async () => {
      child = spawn(process.execPath, ['--import', 'tsx', options.script ?? 'src/server.ts'], {
        cwd: options.cwd,
        env: { ...process.env, ...options.env, PORT: '0', HOST: '127.0.0.1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no listening line within 20 s:\n${output}`)),
          20_000,
        );
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          const match = /http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
          if (match && match[1] !== '0') {
            clearTimeout(timer);
            resolve(`http://127.0.0.1:${match[1]}`);
          }
        };
        child!.stdout!.on('data', onData);
        child!.stderr!.on('data', onData);
        child!.once('exit', (code) => reject(new Error(`example exited with ${code}:\n${output}`)));
      });
    });

    afterAll(async () => {
      if (child && child.exitCode === null) {
        child.kill('SIGKILL');
        await once(child, 'exit');
      }
    });

    it('serves / and refuses anonymous /me and /sessions', async () => {
      const anonymous = client();
      expect((await anonymous.get('/')).status).toBe(200);
      expect((await anonymous.get('/me')).status).toBe(401);
      expect((await anonymous.get('/sessions')).status).toBe(401);
      const read = await anonymous.get('/get?k=missing');
      expect(JSON.parse(read.body)).toBeNull();
      expect(read.setCookies).toEqual([]);
    });

    it('counts, sets and gets within one session', async () => {
      const browser = client();
      expect((await browser.get('/inc')).body.trim()).toBe('1');
      expect((await browser.get('/inc')).body.trim()).toBe('2');
      expect((await browser.get('/set?k=color&v=blue')).status).toBe(200);
      expect(JSON.parse((await browser.get('/get?k=color')).body)).toBe('blue');
    });

    it('login rotates the id, /sessions lists masked ids, logout ends the session', async () => {
      const browser = client();
      await browser.get('/inc');
      const before = browser.token!;
      expect((await browser.get('/login?user=alice')).status).toBe(200);
      expect(browser.token).not.toBe(before);
      expect(JSON.parse((await browser.get('/me')).body)).toEqual({ user: 'alice' });
      expect((await client(before).get('/me')).status).toBe(401);
      const sessions = await browser.get('/sessions');
      expect(sessions.status).toBe(200);
      expect(Array.isArray(JSON.parse(sessions.body))).toBe(true);
      expect(sessions.body).not.toContain(browser.token!);
      const after = browser.token!;
      expect((await browser.get('/logout')).status).toBe(200);
      expect((await client(after).get('/me')).status).toBe(401);
    });

    it('exits cleanly on SIGTERM', async () => {
      child!.kill('SIGTERM');
      const [code] = (await Promise.race([
        once(child!, 'exit'),
        new Promise((resolve) => setTimeout(() => resolve([null]), 5000)),
      ])) as [number | null];
      expect(code).toBe(0);
    });
  });
}
