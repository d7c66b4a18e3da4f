import type { SessionWrite } from '@sess/core';

/** A minimal create write, for tests that talk to the store directly. */
export function createWrite(
  id: string,
  options: { set?: Record<string, string>; principal?: string | null; ttlMs?: number } = {},
): SessionWrite {
  const now = Date.now();
  const ttl = options.ttlMs ?? 60_000;
  return {
    id,
    kind: 'create',
    now,
    createdAt: now,
    lastAccessedAt: now,
    maxInactiveMs: Math.max(1, ttl),
    absoluteExpiresAt: null,
    expiresAt: now + ttl,
    principal: options.principal ?? null,
    set: new Map(Object.entries(options.set ?? {})),
    removed: [],
  };
}
