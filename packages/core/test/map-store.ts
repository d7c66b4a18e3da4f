import {
  SessionConflictError,
  type SessionRecord,
  type SessionStore,
  type SessionWrite,
} from '../src/index.js';

/** The smallest honest store (required methods only), for core's unit tests. */
export class MapStore implements SessionStore {
  readonly name = 'map';
  readonly records = new Map<string, SessionRecord>();
  writes = 0;
  loads = 0;

  async load(id: string) {
    this.loads++;
    return this.records.get(id) ?? null;
  }

  async save(write: SessionWrite) {
    this.writes++;
    const existing = this.records.get(write.id);
    if (write.kind === 'create' && existing) throw new SessionConflictError('exists');
    if (write.kind === 'update' && (!existing || existing.expiresAt <= write.now)) return false;
    const attributes = new Map(existing?.attributes ?? []);
    for (const [k, v] of write.set) attributes.set(k, v);
    for (const k of write.removed) attributes.delete(k);
    this.records.set(write.id, {
      id: write.id,
      createdAt: write.createdAt,
      lastAccessedAt: write.lastAccessedAt,
      maxInactiveMs: write.maxInactiveMs,
      absoluteExpiresAt: write.absoluteExpiresAt,
      expiresAt: write.expiresAt,
      principal: write.principal !== undefined ? write.principal : (existing?.principal ?? null),
      attributes,
    });
    return true;
  }

  async delete(id: string) {
    this.writes++;
    return this.records.delete(id);
  }
}
