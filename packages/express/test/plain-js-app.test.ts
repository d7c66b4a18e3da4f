import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const { createApp } = require('./plain-js-app.cjs') as { createApp: () => Express };

describe('a plain-JavaScript Express app with express-session habits', () => {
  let base = '';
  let close: () => void = () => undefined;
  beforeAll(async () => {
    const server = createApp().listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => {
      server.closeAllConnections();
      server.close();
    };
  });
  afterAll(() => close());

  it('gets a clear TypeError naming set() for req.session.views = 1, not a silently dropped write', async () => {
    const res = await fetch(`${base}/views`);
    expect(res.status).toBe(500);
    expect(await res.text()).toMatch(
      /^TypeError: Cannot assign session\.views: .*session\.set\("views", value\)/,
    );
  });

  it('has its regenerate(callback) called, so the request completes', async () => {
    const res = await fetch(`${base}/regenerate`, { signal: AbortSignal.timeout(2000) });
    expect(await res.text()).toBe('regenerated');
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    const who = await fetch(`${base}/whoami`, { headers: { cookie } });
    expect(await who.text()).toBe('alice');
  });
});
