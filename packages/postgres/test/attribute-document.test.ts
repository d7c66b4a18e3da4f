import { describe, expect, it } from 'vitest';
import { attributesJson, parseAttributes, storedName } from '../src/attribute-document.js';

describe('attribute document', () => {
  it('stores ordinary names and values as they are', () => {
    const set = new Map([
      ['cart', '{"items":[1]}'],
      ['__proto__', '1'],
      ['', '"empty"'],
    ]);
    const json = attributesJson(set);
    expect(JSON.parse(json)).toEqual(
      JSON.parse('{"cart":"{\\"items\\":[1]}","__proto__":"1","":"\\"empty\\""}'),
    );
    expect(parseAttributes(json)).toEqual(set);
    expect(({} as Record<string, unknown>).cart).toBeUndefined();
  });

  it('escapes only what jsonb cannot hold, reversibly', () => {
    const names = ['nul\u0000', '\ud800lone', 'tail\udc00', '\u0001marker', 'pair 🍪', 'plain'];
    for (const name of names) {
      const stored = storedName(name);
      expect(stored === name).toBe(name === 'pair 🍪' || name === 'plain');
      expect(stored.includes('\u0000')).toBe(false);
    }
    const set = new Map(names.map((n) => [n, `v\u0000${n}`]));
    expect(attributesJson(set)).not.toContain('\\u0000');
    expect(parseAttributes(attributesJson(set))).toEqual(set);
  });

  it('rejects documents it did not write as decode errors', () => {
    for (const text of ['{', '[]', '"x"', 'null', '{"a":1}', '{"a":["zz"]}', '{"\\u0001zz":"1"}', 42]) {
      expect(() => parseAttributes(text)).toThrow(expect.objectContaining({ code: 'DECODE' }));
    }
  });
});
