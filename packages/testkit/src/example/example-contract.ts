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
 * DESIGN.md over HTTP: /, /login, /logout, /me, /inc, /set, /get, /sessions; text answered as
 * text/plain (never user input reflected as HTML); repeated, missing or unstorable query parameters
 * answered with 400; then stops it with SIGTERM and expects a clean exit. The example must log one
 * line containing "http://HOST:PORT".
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
      expect((await browser.get('/inc')).headers.get('content-type')).toMatch(/^text\/plain/);
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

    it('answers text as text/plain and never reflects input as HTML', async () => {
      const browser = client();
      const script = '<script>alert(1)</script>';
      const probes = [
        `/login?user=${encodeURIComponent(script)}`,
        `/set?k=${encodeURIComponent(script)}&v=${encodeURIComponent(script)}`,
        `/get?k=${encodeURIComponent(script)}`,
        '/inc',
        '/me',
        '/sessions',
        '/logout',
        `/login?user=${encodeURIComponent('<img src=x onerror=alert(1)>')}`,
      ];
      for (const path of probes) {
        const response = await browser.get(path);
        const type = response.headers.get('content-type') ?? '';
        expect(type, `${path} must not be served as HTML`).not.toMatch(/html/i);
        expect(type, `${path} must say what it is`).toMatch(/^(text\/plain|application\/json)\b/i);
      }
      // The page at / may be HTML, but echoes no request input (query, Host header).
      const page = await client().get(`/?user=${encodeURIComponent(script)}`, {
        headers: { 'x-forwarded-host': 'evil.example', referer: script },
      });
      expect(page.body).not.toContain(script);
      expect(page.body).not.toContain('evil.example');
    });

    it('refuses repeated, missing and unstorable query parameters with 400, never 5xx', async () => {
      const browser = client();
      await browser.get('/inc');
      const bad = [
        '/login',
        '/login?user=',
        '/login?user=a&user=b',
        '/login?user[x]=a',
        '/login?user=%00',
        `/login?user=${'u'.repeat(600)}`,
        '/set?v=1',
        '/set?k=a',
        '/set?k=a&k=b&v=1',
        '/set?k=a&v=1&v=2',
        '/set?k[]=a&v=1',
        '/set?k=%00&v=1',
        `/set?k=${'k'.repeat(600)}&v=1`,
        '/get',
        '/get?k=a&k=b',
      ];
      for (const path of bad) {
        const response = await browser.get(path);
        expect(response.status, `${path} -> ${response.status} ${response.body}`).toBe(400);
        expect(response.headers.get('content-type') ?? '').not.toMatch(/html/i);
      }
      // The session is still fine, and a bad login did not rotate or sign it in.
      expect((await browser.get('/me')).status).toBe(401);
      expect((await browser.get('/inc')).body.trim()).toBe('2');
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
