import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type CookieHmac,
  cookieIdResolver,
  createCookieSigner,
  type HttpPort,
  useCookieHmac,
} from '../src/index.js';

const OLD = 'old-secret-0123456789';
const NEW = 'new-secret-0123456789';

/** Node's HMAC, counting how many MACs it computes. */
function countingHmac(): { hmac: CookieHmac; computed: () => number } {
  let computed = 0;
  const hmac: CookieHmac = (secret) => (value) => {
    computed++;
    return createHmac('sha256', secret).update(value).digest('base64url');
  };
  return { hmac, computed: () => computed };
}

function port(cookie?: string): HttpPort {
  return {
    getRequestHeader: (name) => (name === 'cookie' ? cookie : undefined),
    isSecure: () => false,
    getResponseHeader: () => undefined,
    setResponseHeader: () => undefined,
    appendResponseHeader: () => undefined,
  };
}

afterEach(() => useCookieHmac(undefined));

describe('cookie signer', () => {
  it('a synchronous HMAC gives exactly the Web Crypto signature, synchronously', async () => {
    const web = createCookieSigner([NEW]);
    const node = createCookieSigner([NEW], { hmac: countingHmac().hmac });
    const signed = node.sign('ID');
    expect(typeof signed).toBe('string');
    expect(signed).toBe(await web.sign('ID'));
    expect(node.unsign(await web.sign('other'))).toBe('other');
    expect(await web.unsign(signed as string)).toBe('ID');
  });

  for (const [name, options] of [
    ['Web Crypto', {}],
    ['a synchronous HMAC', { hmac: countingHmac().hmac }],
    ['no memory', { remember: 0 }],
  ] as const) {
    it(`rotation and tampering, with ${name}`, async () => {
      const old = createCookieSigner([OLD], options);
      const rotated = createCookieSigner([NEW, OLD], options);
      const byOld = await old.sign('ID');
      const byNew = await rotated.sign('ID');
      expect(byNew).not.toBe(byOld);
      for (let i = 0; i < 2; i++) {
        // Twice: the second time from memory, with the same answers.
        expect(await rotated.unsign(byOld)).toBe('ID');
        expect(await rotated.unsign(byNew)).toBe('ID');
        expect(await old.unsign(byNew)).toBeUndefined();
        expect(
          await rotated.unsign(`${byNew.slice(0, -1)}${byNew.endsWith('A') ? 'B' : 'A'}`),
        ).toBeUndefined();
        expect(await rotated.unsign(`${byNew}A`)).toBeUndefined();
        expect(await rotated.unsign('ID')).toBeUndefined();
        expect(await rotated.unsign('ID.')).toBeUndefined();
        expect(await rotated.unsign(`OTHER.${byNew.slice(3)}`)).toBeUndefined();
      }
    });
  }

  it('signs once per value and verifies a value it knows without computing again', () => {
    const { hmac, computed } = countingHmac();
    const signer = createCookieSigner([NEW, OLD], { hmac });
    const token = signer.sign('ID') as string;
    expect(computed()).toBe(1);
    expect(signer.sign('ID')).toBe(token);
    expect(signer.unsign(token)).toBe('ID');
    expect(signer.unsign(token)).toBe('ID');
    expect(computed()).toBe(1);
  });

  it('never remembers a signature that did not verify', () => {
    const { hmac, computed } = countingHmac();
    const signer = createCookieSigner([NEW], { hmac });
    const forged = 'VICTIM.forged-signature';
    expect(signer.unsign(forged)).toBeUndefined();
    expect(signer.unsign(forged)).toBeUndefined();
    expect(computed()).toBe(2); // computed each time: the failure was not remembered
    const genuine = createCookieSigner([NEW], { hmac }).sign('VICTIM') as string;
    expect(signer.unsign(genuine)).toBe('VICTIM');
    expect(signer.unsign(forged)).toBeUndefined();
  });

  it('what one signer verified is not accepted by a signer without that secret', () => {
    const { hmac } = countingHmac();
    const rotated = createCookieSigner([NEW, OLD], { hmac });
    const byOld = createCookieSigner([OLD], { hmac }).sign('ID') as string;
    expect(rotated.unsign(byOld)).toBe('ID'); // remembered under OLD
    const retired = createCookieSigner([NEW], { hmac }); // OLD retired
    expect(retired.unsign(byOld)).toBeUndefined();
  });

  it('remembers a bounded number of values, forgetting the oldest', () => {
    const { hmac, computed } = countingHmac();
    const signer = createCookieSigner([NEW], { hmac, remember: 2 });
    expect(signer.sign('A')).toBeTypeOf('string');
    expect(signer.sign('B')).toBeTypeOf('string');
    expect(signer.sign('C')).toBeTypeOf('string'); // forgets A
    expect(computed()).toBe(3);
    expect(signer.sign('C')).toBeTypeOf('string');
    expect(signer.sign('B')).toBeTypeOf('string');
    expect(computed()).toBe(3);
    expect(signer.sign('A')).toBeTypeOf('string');
    expect(computed()).toBe(4);
  });

  it('cookieIdResolver uses the registered HMAC: encode and read are synchronous', async () => {
    const webToken = await cookieIdResolver({ secrets: [NEW] }).encode('ID', port());
    const { hmac, computed } = countingHmac();
    useCookieHmac(hmac);
    const resolver = cookieIdResolver({ secrets: [NEW] });
    const token = resolver.encode('ID', port());
    expect(token).toBe(webToken);
    expect(resolver.read(port(`sid=${webToken}`))).toBe('ID');
    expect(resolver.read(port(`sid=${webToken.slice(0, -2)}xx`))).toBeUndefined();
    expect(computed()).toBe(1); // signed once; both reads compared against that remembered MAC
  });
});
