/**
 * Where everything lives. Every key is `<prefix>{...`, and prefixes contain no braces, so the keys of
 * two stores with different prefixes never meet, even when one prefix starts with the other. Every key that belongs to one session shares the hash tag of the session's
 * bucket, so one Lua script can update the session, the expiry schedule and the owner map atomically,
 * and on Redis Cluster they sit in one slot. Only the per-principal index lives elsewhere (a principal's
 * sessions are spread over many buckets), which is why it is maintained with separate commands.
 */
export class KeyLayout {
  readonly prefix: string;
  readonly buckets: number;
  /** The Pub/Sub channel for created / deleted / expired / id-changed (a channel, not a key). */
  readonly channel: string;

  constructor(prefix: string, buckets: number) {
    this.prefix = prefix;
    this.buckets = buckets;
    this.channel = `${prefix}events`;
  }

  /** FNV-1a over UTF-16 code units: cheap, stable across processes and versions, spreads random ids. */
  bucketOf(id: string): number {
    let hash = 0x811c9dc5;
    for (let i = 0; i < id.length; i++) {
      hash ^= id.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193);
    }
    return (hash >>> 0) % this.buckets;
  }

  /** `<prefix>{b<n>}:` — the part shared by all keys of one bucket. */
  bucketTag(bucket: number): string {
    return `${this.prefix}{b${bucket}}:`;
  }

  /** Session hash: metadata fields `m:*` and one `a:<name>` field per attribute. */
  sessionKeyPrefix(bucket: number): string {
    return `${this.bucketTag(bucket)}s:`;
  }

  session(id: string): string {
    return this.sessionKeyPrefix(this.bucketOf(id)) + id;
  }

  /** Sorted set: session id -> when Redis will expire it (Redis server time, ms). */
  expiries(bucket: number): string {
    return `${this.bucketTag(bucket)}expiries`;
  }

  /** Hash: session id -> principal, for sessions that have one (read when the session hash is gone). */
  owners(bucket: number): string {
    return `${this.bucketTag(bucket)}owners`;
  }

  /** String with a short TTL: the sweep of this bucket has just been done by some store instance. */
  sweepLock(bucket: number): string {
    return `${this.bucketTag(bucket)}sweep-lock`;
  }

  /** String with a TTL: which store instance sweeps this prefix now (see ExpirySweeper). */
  get sweepLease(): string {
    return `${this.prefix}{sweep-lease}`;
  }

  /** The three keys a session's scripts take, in the order the scripts expect them. */
  sessionKeys(id: string): [session: string, expiries: string, owners: string] {
    const bucket = this.bucketOf(id);
    return [this.sessionKeyPrefix(bucket) + id, this.expiries(bucket), this.owners(bucket)];
  }

  /** The bucket of a session key of this layout, or null for any other key. */
  bucketOfSessionKey(key: string): number | null {
    if (!key.startsWith(this.prefix)) return null;
    const match = /^\{b(\d+)\}:s:/.exec(key.slice(this.prefix.length));
    const bucket = match ? Number(match[1]) : Number.NaN;
    return bucket < this.buckets ? bucket : null;
  }

  /**
   * Set of session ids of one principal. The principal is kept verbatim: exact, never a pattern. It sits
   * inside the hash tag (spreading principals over cluster slots), after "p:", so that, like every key
   * here, the key is the prefix followed by "{": with prefixes free of braces, the part before the first
   * "{" names the prefix, and two prefixes never share a key.
   */
  principalIndex(principal: string): string {
    return `${this.indexKeyPrefix}${principal}}`;
  }

  /** What a principal index key starts with (a script appends the principal and "}"). */
  get indexKeyPrefix(): string {
    return `${this.prefix}{p:`;
  }
}
