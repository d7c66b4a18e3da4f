import { describe, expect, it } from 'vitest';
import { maskSessionId, randomIdGenerator, SessionConfigError } from '../src/index.js';

describe('randomIdGenerator', () => {
  it('makes 256-bit base64url ids by default, all distinct', () => {
    const generator = randomIdGenerator();
    const ids = new Set(Array.from({ length: 10_000 }, () => generator.generate()));
    expect(ids.size).toBe(10_000);
    for (const id of [...ids].slice(0, 100)) {
      expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(generator.isValid(id)).toBe(true);
    }
  });

  it('validates shape strictly', () => {
    const generator = randomIdGenerator();
    const id = generator.generate();
    for (const bad of [
      '',
      id.slice(1),
      `${id}A`,
      `${id.slice(1)}+`,
      `${id.slice(1)}/`,
      `${id.slice(1)}=`,
      `${id.slice(1)} `,
    ]) {
      expect(generator.isValid(bad)).toBe(false);
    }
  });

  it('accepts 128 bits at least and refuses less', () => {
    expect(randomIdGenerator({ bytes: 16 }).generate()).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(() => randomIdGenerator({ bytes: 15 })).toThrow(SessionConfigError);
  });

  it('masks ids for logs', () => {
    const id = randomIdGenerator().generate();
    const masked = maskSessionId(id);
    expect(masked.length).toBeLessThan(10);
    expect(masked).not.toContain(id.slice(4, 12));
  });
});
