import type { CommandGuard } from './command-guard.js';
import type { KeyLayout } from './key-layout.js';
import type { RedisClient } from './redis-client.js';
import { SWEEP } from './redis-scripts.js';

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

/**
 * Finds sessions whose TTL has passed, on every bucket (so on every cluster master), and has the sweep
 * script report each one exactly once. Runs on an unref'd timer, one pass at a time, so it never keeps
 * the process alive and never piles up passes behind a slow Redis.
 */
export class ExpirySweeper {
  readonly #options: ExpirySweeperOptions;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running: Promise<void> | null = null;
  #stopped = false;
  readonly #soon = new Set<number>();

  constructor(options: ExpirySweeperOptions) {
    this.#options = options;
  }

  start(): void {
    this.#schedule(Math.floor(Math.random() * this.#options.intervalMs));
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  /** One pass over all buckets now; resolves the number of expiries this instance reported. */
  async sweep(): Promise<number> {
    const { layout } = this.#options;
    const results = await Promise.allSettled(
      Array.from({ length: layout.buckets }, (_, bucket) => this.#sweepBucket(bucket)),
    );
    let reported = 0;
    for (const result of results) {
      if (result.status === 'fulfilled') reported += result.value;
      else this.#options.onError(result.reason);
    }
    return reported;
  }

  /**
   * Sweeps one bucket right away (a keyspace notification said one of its keys expired). Bypasses the
   * lock: the lock only saves work, and reporting stays exactly-once without it.
   */
  sweepSoon(bucket: number): void {
    if (this.#stopped || this.#soon.has(bucket)) return;
    this.#soon.add(bucket);
    setTimeout(() => {
      this.#soon.delete(bucket);
      this.#sweepBucket(bucket, 0).catch((error: unknown) => this.#options.onError(error));
    }, 10).unref();
  }

  #schedule(delay: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#running = this.sweep().then(
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

  // The default lock is shorter than the interval: another instance skips this bucket for half an
  // interval, and our own next pass always finds it free again.
  async #sweepBucket(
    bucket: number,
    lock = Math.max(1, Math.floor(this.#options.intervalMs / 2)),
  ): Promise<number> {
    const { client, guard, layout, batchSize, channel } = this.#options;
    let reported = 0;
    let lockMs = lock;
    for (;;) {
      const reply = (await guard.run('sweep', () =>
        SWEEP.run(
          client,
          [layout.expiries(bucket), layout.owners(bucket), layout.sweepLock(bucket)],
          [layout.sessionKeyPrefix(bucket), lockMs, batchSize, channel],
        ),
      )) as (string | number)[];
      const due = Number(reply[0]);
      if (due < 0) return reported;
      const byPrincipal = new Map<string, string[]>();
      for (let i = 2; i + 1 < reply.length; i += 2) {
        const id = String(reply[i]);
        const principal = String(reply[i + 1]);
        byPrincipal.set(principal, [...(byPrincipal.get(principal) ?? []), id]);
      }
      reported += Number(reply[1]);
      await Promise.all([...byPrincipal].map(([principal, ids]) => this.#options.unindex(principal, ids)));
      if (due < batchSize || this.#stopped) return reported;
      lockMs = 0; // a full batch: keep going on this bucket; we already hold it for this pass
    }
  }
}
