import { SessionDecodeError, SessionEncodeError } from './errors.js';

/**
 * Turns one attribute value into the string a store persists, and back. Each attribute is encoded on
 * its own so a store can write only the attributes that changed.
 */
export interface AttributeCodec {
  encode(value: unknown): string;
  decode(text: string): unknown;
}

/**
 * JSON with a few tagged types. A tagged value is an object with the single key TAG. User objects that
 * happen to own that key are wrapped too, so decoding is unambiguous.
 */
const TAG = '$sess';

type Wire = null | boolean | number | string | Wire[] | { [key: string]: Wire };

function toWire(value: unknown, seen: Set<object>): Wire {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : { [TAG]: ['Number', String(value)] };
    case 'bigint':
      return { [TAG]: ['BigInt', value.toString()] };
    case 'undefined':
      return { [TAG]: ['Undefined'] };
    case 'object':
      break;
    default:
      throw new SessionEncodeError(`Cannot store a ${typeof value} in a session attribute`);
  }
  if (value === null) return null;
  if (seen.has(value))
    throw new SessionEncodeError('Cannot store a circular structure in a session attribute');
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => toWire(item, seen));
    if (value instanceof Date) return { [TAG]: ['Date', value.getTime()] };
    if (value instanceof Map) {
      return { [TAG]: ['Map', [...value].map(([k, v]) => [toWire(k, seen), toWire(v, seen)])] };
    }
    if (value instanceof Set) return { [TAG]: ['Set', [...value].map((v) => toWire(v, seen))] };
    const json = (value as { toJSON?: () => unknown }).toJSON;
    if (typeof json === 'function') return toWire(json.call(value), seen);
    const out: Record<string, Wire> = {};
    for (const key of Object.keys(value)) {
      const item = (value as Record<string, unknown>)[key];
      if (typeof item === 'function' || typeof item === 'symbol') continue; // as JSON.stringify does
      // defineProperty: a key named "__proto__" must stay a plain data key.
      Object.defineProperty(out, key, {
        value: toWire(item, seen),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return Object.hasOwn(out, TAG) ? { [TAG]: ['Object', out] } : out;
  } finally {
    seen.delete(value);
  }
}

function fromWire(wire: Wire): unknown {
  if (wire === null || typeof wire !== 'object') return wire;
  if (Array.isArray(wire)) return wire.map(fromWire);
  const tagged = Object.hasOwn(wire, TAG) ? wire[TAG] : undefined;
  return tagged === undefined ? fromPlainObject(wire) : fromTagged(tagged);
}

function fromPlainObject(wire: { [key: string]: Wire }): unknown {
  // JSON.parse made these objects, so every key (even "__proto__") is an own data property and
  // assigning through it cannot reach a prototype.
  for (const key of Object.keys(wire)) wire[key] = fromWire(wire[key] as Wire) as Wire;
  return wire;
}

function fromTagged(tagged: Wire): unknown {
  if (!Array.isArray(tagged) || typeof tagged[0] !== 'string') throw new Error('malformed tag');
  const [type, payload] = tagged;
  switch (type) {
    case 'Date':
      return new Date(payload as number);
    case 'BigInt':
      return BigInt(payload as string);
    case 'Number':
      return Number(payload as string);
    case 'Undefined':
      return undefined;
    case 'Map':
      return new Map((payload as [Wire, Wire][]).map(([k, v]) => [fromWire(k), fromWire(v)]));
    case 'Set':
      return new Set((payload as Wire[]).map(fromWire));
    case 'Object':
      if (payload === null || typeof payload !== 'object' || Array.isArray(payload))
        throw new Error('bad Object');
      return fromPlainObject(payload);
    default:
      throw new Error(`unknown tag ${type}`);
  }
}

/**
 * The default codec: JSON values plus Date, Map, Set, BigInt, undefined, NaN and ±Infinity, all
 * round-tripped exactly. Class instances are stored as their plain own properties (like JSON).
 */
export const jsonCodec: AttributeCodec = {
  encode(value) {
    return JSON.stringify(toWire(value, new Set()));
  },
  decode(text) {
    try {
      return fromWire(JSON.parse(text) as Wire);
    } catch (error) {
      throw new SessionDecodeError('A session attribute is not valid @sess JSON', { cause: error });
    }
  },
};
