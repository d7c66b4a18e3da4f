import { randomBytes } from 'node:crypto';
import type { CommandGuard } from './command-guard.js';
import type { KeyLayout } from './key-layout.js';
import type { RedisClient } from './redis-client.js';
import { SWEEP, SWEEP_LEASE } from './redis-scripts.js';

export interface ExpirySweeperOptions {
  client: RedisClient;
  guard: CommandGuard;
  layout: KeyLayout;
  intervalMs: number;
  batchSize: number;
  /** '' when the store publishes no events. */
  channel: string;
  /** Removes index entries of expired sessions (a different slot, so not part of the sweep script). */
  unindex(principal: string, ids: string[]): Promise<void>;
  onError(error: unknown): void;
}

/** A bucket whose next due entry is unknown is looked at on the next pass. */
const UNKNOWN = 0;

/**
 * Finds sessions whose TTL has passed, on every bucket (so on every cluster master), and has the sweep
 * script report each one exactly once. Runs on an unref'd timer, one pass at a time, so it never keeps
 * the process alive and never piles up passes behind a slow Redis.
 *
 * What it costs Redis does not grow with the number of application processes, and an idle deployment
 * costs almost nothing:
 * - one instance per prefix sweeps at a time, under a lease (one command per interval for the holder;
 *   the others ask again when the lease would run out);
 * - the holder sweeps a bucket only when its next entry is due: each sweep returns when that is, and a
 *   bucket is looked at again then, when a session was created or renamed into it (heard on the event
 *   channel, or written by this instance), or at the latest every RECHECK intervals (an entry scheduled
 *   earlier than all others of its bucket by another process, e.g. a shortened timeout, without an
 *   event). Exactly-once reporting never depends on any of this: an expiry is reported by the script
 *   run whose ZREM removed it from the schedule.
 */
export class ExpirySweeper {
  /** At the latest every this many intervals, every bucket is swept (see above). */
  static readonly RECHECK = 10;
  readonly #options: ExpirySweeperOptions;
  readonly #token = randomBytes(12).toString('base64url');
  readonly #leaseMs: number;
  /** Per bucket: when (this process' clock, ms) to sweep it next. */
  readonly #dueAt: Float64Array;
  #leaseRetryAt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running: Promise<void> | null = null;
  #stopped = false;
  readonly #soon = new Set<number>();

  constructor(options: ExpirySweeperOptions) {
    this.#options = options;
    this.#leaseMs = 3 * options.intervalMs;
    this.#dueAt = new Float64Array(options.layout.buckets).fill(UNKNOWN);
  }

  start(): void {
    this.#schedule(Math.floor(Math.random() * this.#options.intervalMs));
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  /** A session was scheduled in `bucket` (created, renamed into it): look at the bucket on the next pass. */
  scheduled(bucket: number): void {
    this.#dueAt[bucket] = UNKNOWN;
  }

  /** One pass over all buckets now, lease or not; resolves the number of expiries this instance reported. */
  async sweep(): Promise<number> {
    return this.#pass(() => true);
  }

  /**
   * Sweeps one bucket right away (a keyspace notification said one of its keys expired). Bypasses the
   * lease: the lease only saves work, and reporting stays exactly-once without it.
   */
  sweepSoon(bucket: number): void {
    if (this.#stopped || this.#soon.has(bucket)) return;
    this.#soon.add(bucket);
    setTimeout(() => {
      this.#soon.delete(bucket);
      this.#sweepBucket(bucket).catch((error: unknown) => this.#options.onError(error));
    }, 10).unref();
  }

  async #pass(wanted: (bucket: number, now: number) => boolean): Promise<number> {
    const now = Date.now();
    const buckets: number[] = [];
    for (let bucket = 0; bucket < this.#options.layout.buckets; bucket++) {
      if (wanted(bucket, now)) buckets.push(bucket);
    }
    const results = await Promise.allSettled(buckets.map((bucket) => this.#sweepBucket(bucket)));
    let reported = 0;
    for (const result of results) {
      if (result.status === 'fulfilled') reported += result.value;
      else this.#options.onError(result.reason);
    }
    return reported;
  }

  /** The periodic pass: only under the lease, only the buckets that are due. */
  async #tick(): Promise<void> {
    const now = Date.now();
    if (now < this.#leaseRetryAt) return;
    const { client, guard, layout } = this.#options;
    const held = Number(
      await guard.run('sweep', () =>
        SWEEP_LEASE.run(client, [layout.sweepLease], [this.#token, this.#leaseMs]),
      ),
    );
    if (held !== 1) {
      // Someone else sweeps: ask again when their lease would run out. Forget what we knew.
      this.#leaseRetryAt = now + Math.min(-held, this.#leaseMs);
      this.#dueAt.fill(UNKNOWN);
      return;
    }
    this.#leaseRetryAt = 0;
    await this.#pass((bucket, at) => this.#dueAt[bucket]! <= at);
  }

  #schedule(delay: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#running = this.#tick().then(
        () => undefined,
        (error: unknown) => this.#options.onError(error),
      );
      void this.#running.finally(() => {
        this.#running = null;
        this.#schedule(this.#options.intervalMs);
      });
    }, delay);
    this.#timer.unref();
  }

  async #sweepBucket(bucket: number): Promise<number> {
    const { guard, layout, batchSize, channel, intervalMs } = this.#options;
    let reported = 0;
    for (;;) {
      const reply = (await guard.script(
        'sweep',
        SWEEP,
        [layout.expiries(bucket), layout.owners(bucket), layout.sweepLock(bucket)],
        [layout.sessionKeyPrefix(bucket), 0, batchSize, channel],
      )) as (string | number)[];
      const due = Number(reply[0]);
      const nextDueMs = Number(reply[reply.length - 1]);
      const byPrincipal = new Map<string, string[]>();
      for (let i = 2; i + 2 < reply.length; i += 2) {
        const id = String(reply[i]);
        const principal = String(reply[i + 1]);
        byPrincipal.set(principal, [...(byPrincipal.get(principal) ?? []), id]);
      }
      reported += Number(reply[1]);
      await Promise.all([...byPrincipal].map(([principal, ids]) => this.#options.unindex(principal, ids)));
      if (due < batchSize || this.#stopped) {
        const recheck = ExpirySweeper.RECHECK * intervalMs;
        this.#dueAt[bucket] = Date.now() + (nextDueMs < 0 ? recheck : Math.min(nextDueMs, recheck));
        return reported;
      }
    }
  }
}
