import { describe, expect, it } from 'vitest';
import { isSessionError, jsonCodec } from '../src/index.js';

const roundTrip = (value: unknown) => jsonCodec.decode(jsonCodec.encode(value));

describe('jsonCodec', () => {
  it('round-trips JSON values and the tagged types', () => {
    const value = {
      s: 'x',
      n: 1.5,
      b: false,
      nil: null,
      arr: [1, 'two', [3]],
      date: new Date(1_700_000_000_123),
      map: new Map<unknown, unknown>([[1, { a: new Set([1n]) }]]),
      big: -(2n ** 70n),
      special: [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY],
      undef: undefined,
    };
    expect(roundTrip(value)).toEqual(value);
  });

  it('keeps user objects that look like tags as plain data', () => {
    const value = { $sess: ['Date', 0], nested: { $sess: 'x' } };
    expect(roundTrip(value)).toEqual(value);
  });

  it('keeps "__proto__" a plain own key and never touches prototypes', () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}}');
    const back = roundTrip(value) as Record<string, unknown>;
    expect(Object.hasOwn(back, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('uses toJSON like JSON.stringify and drops functions inside objects', () => {
    expect(roundTrip({ when: { toJSON: () => 'custom' }, f: () => 1 })).toEqual({ when: 'custom' });
  });

  it('refuses values it cannot store, with a typed ENCODE error', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    for (const bad of [circular, () => 1, Symbol('s')]) {
      let error: unknown;
      try {
        jsonCodec.encode(bad);
      } catch (e) {
        error = e;
      }
      expect(isSessionError(error) && error.code).toBe('ENCODE');
    }
  });

  it('reports undecodable text as a typed DECODE error', () => {
    for (const text of ['{', '', '{"$sess": ["Nope"]}', '{"$sess": 1}', '{"$sess": ["Object", 5]}']) {
      let error: unknown;
      try {
        jsonCodec.decode(text);
      } catch (e) {
        error = e;
      }
      expect(isSessionError(error) && error.code, text).toBe('DECODE');
    }
  });
});
