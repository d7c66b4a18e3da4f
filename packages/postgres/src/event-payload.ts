import type { StoreEvent } from '@sess/core';

/**
 * NOTIFY payloads: `{"o":"<origin>","e":[entry, ...]}` where an entry is
 * `[type, sessionId, principal]` or `["id-changed", sessionId, principal, previousId]`, and principal
 * is a string, null (no principal), or 0 (left out because it was too large). Compact, because
 * PostgreSQL refuses payloads of 8000 bytes or more.
 */
export const MAX_PAYLOAD_BYTES = 7900;

/** Principals larger than this are left out of events rather than crowding out other events. */
const MAX_PRINCIPAL_BYTES = 1024;

type Entry = [string, string, string | null | 0] | [string, string, string | null | 0, string];

function entryOf(event: StoreEvent): Entry {
  const principal =
    event.principal === undefined ||
    (typeof event.principal === 'string' && Buffer.byteLength(event.principal) > MAX_PRINCIPAL_BYTES)
      ? 0
      : event.principal;
  return event.type === 'id-changed'
    ? [event.type, event.sessionId, principal, event.previousId]
    : [event.type, event.sessionId, principal];
}

/**
 * Packs events into as few payloads as fit. An event too large for any payload on its own (only
 * possible with enormous custom ids) is dropped and counted.
 */
export function encodePayloads(
  origin: string,
  events: readonly StoreEvent[],
): { payloads: string[]; dropped: number } {
  const head = `{"o":${JSON.stringify(origin)},"e":[`;
  const tail = ']}';
  const payloads: string[] = [];
  let dropped = 0;
  let body = '';
  let bytes = 0;
  const budget = MAX_PAYLOAD_BYTES - Buffer.byteLength(head) - tail.length;
  for (const event of events) {
    const entry = JSON.stringify(entryOf(event));
    const size = Buffer.byteLength(entry) + 1;
    if (size > budget) {
      dropped++;
      continue;
    }
    if (bytes + size > budget) {
      payloads.push(head + body + tail);
      body = '';
      bytes = 0;
    }
    body += body === '' ? entry : `,${entry}`;
    bytes += size;
  }
  if (body !== '') payloads.push(head + body + tail);
  return { payloads, dropped };
}

const TYPES = new Set<string>(['created', 'deleted', 'expired', 'id-changed']);

/** The events in a payload sent by another instance; none for our own echo or a foreign payload. */
export function decodePayload(payload: string, ownOrigin: string): StoreEvent[] {
  let data: unknown;
  try {
    data = JSON.parse(payload);
  } catch {
    return []; // someone else's NOTIFY on our channel
  }
  const { o: origin, e: entries } = (data ?? {}) as { o?: unknown; e?: unknown };
  if (typeof origin !== 'string' || origin === ownOrigin || !Array.isArray(entries)) return [];
  const events: StoreEvent[] = [];
  for (const entry of entries) {
    if (!Array.isArray(entry)) continue;
    const [type, sessionId, principal, previousId] = entry as unknown[];
    if (typeof type !== 'string' || !TYPES.has(type) || typeof sessionId !== 'string') continue;
    const known = typeof principal === 'string' || principal === null ? { principal } : {};
    if (type === 'id-changed') {
      if (typeof previousId === 'string') events.push({ type, sessionId, previousId, ...known });
    } else {
      events.push({ type: type as 'created' | 'deleted' | 'expired', sessionId, ...known });
    }
  }
  return events;
}
