import type { StoreEvent } from '@sess/core';
import { describe, expect, it } from 'vitest';
import { decodePayload, encodePayloads, MAX_PAYLOAD_BYTES } from '../src/event-payload.js';

describe('NOTIFY payloads', () => {
  it('round-trips every event type, with the principal when known', () => {
    const events: StoreEvent[] = [
      { type: 'created', sessionId: 'a', principal: 'alice' },
      { type: 'deleted', sessionId: 'b', principal: null },
      { type: 'expired', sessionId: 'c' },
      { type: 'id-changed', sessionId: 'd2', previousId: 'd1', principal: 'ünï "q"' },
    ];
    const { payloads, dropped } = encodePayloads('me', events);
    expect(dropped).toBe(0);
    expect(payloads).toHaveLength(1);
    expect(decodePayload(payloads[0]!, 'other')).toEqual(events);
    expect(decodePayload(payloads[0]!, 'me')).toEqual([]); // our own echo
  });

  it('splits many events into payloads under the 8000-byte limit, losing none', () => {
    const events: StoreEvent[] = Array.from({ length: 1000 }, (_, i) => ({
      type: 'expired',
      sessionId: `${'x'.repeat(40)}${i}`,
      principal: `user-${i}-ü`,
    }));
    const { payloads, dropped } = encodePayloads('me', events);
    expect(dropped).toBe(0);
    expect(payloads.length).toBeGreaterThan(5);
    for (const payload of payloads) expect(Buffer.byteLength(payload)).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
    expect(payloads.flatMap((p) => decodePayload(p, 'other'))).toEqual(events);
  });

  it('leaves out a principal too large for an event, and drops only an event that cannot fit at all', () => {
    const { payloads, dropped } = encodePayloads('me', [
      { type: 'created', sessionId: 'big-principal', principal: 'p'.repeat(2000) },
      { type: 'created', sessionId: 'i'.repeat(9000) },
      { type: 'deleted', sessionId: 'fine' },
    ]);
    expect(dropped).toBe(1);
    expect(decodePayload(payloads[0]!, 'other')).toEqual([
      { type: 'created', sessionId: 'big-principal' },
      { type: 'deleted', sessionId: 'fine' },
    ]);
  });

  it('ignores anything that is not ours', () => {
    for (const junk of [
      '',
      'x',
      'null',
      '[]',
      '{"o":1}',
      '{"o":"x","e":{}}',
      '{"o":"x","e":[["id-changed","a",null]]}',
    ])
      expect(decodePayload(junk, 'me')).toEqual([]);
  });
});
