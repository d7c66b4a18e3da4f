import { SessionDecodeError } from '@sess/core';

/**
 * Attributes live in one jsonb object: attribute name -> encoded value (core's codec output). jsonb
 * cannot hold U+0000 or unpaired surrogates, which attribute names (and a custom codec's output) may
 * contain, so those few are stored in an escaped form. Ordinary names and values are stored as they
 * are, readable in psql, with no cost beyond one regular-expression test.
 */

/** Escaped names start with U+0001; so does any name that itself starts with it, keeping this reversible. */
const ESCAPED_NAME = '\u0001';
// Control characters written as escapes on purpose: this pattern exists to find them.
// biome-ignore lint/suspicious/noControlCharactersInRegex: U+0000 and U+0001 are what is being detected.
const UNSAFE_NAME = /^\u0001|\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: U+0000 is what is being detected.
const UNSAFE_VALUE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function toHex(text: string): string {
  let hex = '';
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).padStart(4, '0');
  return hex;
}

function fromHex(hex: string): string {
  if (hex.length % 4 !== 0 || !/^[0-9a-f]*$/.test(hex))
    throw new SessionDecodeError('Malformed escaped attribute');
  let text = '';
  for (let i = 0; i < hex.length; i += 4)
    text += String.fromCharCode(Number.parseInt(hex.slice(i, i + 4), 16));
  return text;
}

/** The jsonb key an attribute name is stored under. */
export function storedName(name: string): string {
  return UNSAFE_NAME.test(name) ? ESCAPED_NAME + toHex(name) : name;
}

function attributeName(stored: string): string {
  return stored.startsWith(ESCAPED_NAME) ? fromHex(stored.slice(1)) : stored;
}

/** JSON text of the jsonb object holding `set`, built by hand so no name ("__proto__") meets an object. */
export function attributesJson(set: ReadonlyMap<string, string>): string {
  let json = '{';
  for (const [name, value] of set) {
    if (json.length > 1) json += ',';
    // A value jsonb cannot hold as a string is stored as a one-element array of its hex code units.
    json += `${JSON.stringify(storedName(name))}:${UNSAFE_VALUE.test(value) ? `["${toHex(value)}"]` : JSON.stringify(value)}`;
  }
  return `${json}}`;
}

/** The attributes map from the jsonb text the database returned; unreadable data is a decode error. */
export function parseAttributes(text: unknown): Map<string, string> {
  let document: unknown;
  try {
    document = typeof text === 'string' ? JSON.parse(text) : undefined;
  } catch (error) {
    throw new SessionDecodeError('Stored session attributes are not valid JSON', { cause: error });
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new SessionDecodeError('Stored session attributes are not a JSON object');
  }
  const attributes = new Map<string, string>();
  // JSON.parse defines "__proto__" as an own property, and Object.entries reads only own ones.
  for (const [stored, value] of Object.entries(document)) {
    if (typeof value === 'string') attributes.set(attributeName(stored), value);
    else if (Array.isArray(value) && value.length === 1 && typeof value[0] === 'string')
      attributes.set(attributeName(stored), fromHex(value[0]));
    else throw new SessionDecodeError('A stored session attribute is not an encoded string');
  }
  return attributes;
}
