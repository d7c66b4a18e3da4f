/** One caller waiting for the result of its item. */
interface Waiter<I, R> {
  readonly item: I;
  readonly key: string;
  readonly resolve: (result: R) => void;
  readonly reject: (error: unknown) => void;
}

export interface StatementBatcherOptions<I, R> {
  /** Runs these items (at least one) in one statement; results in the same order. */
  readonly run: (items: I[]) => Promise<R[]>;
  /** The session an item is about. */
  readonly keyOf: (item: I) => string;
  /** When true, a batch never holds two items of one session (the later one waits for a later batch). */
  readonly distinct: boolean;
  /** Statements of this kind in flight at once; items submitted meanwhile wait and go together. */
  readonly concurrency: number;
  /** Most items in one statement. */
  readonly maxBatch: number;
  /**
   * Whether a failed shared statement may have failed because of one item's data rather than the
   * database: then each item runs again alone, so only the one at fault fails. Default: never.
   */
  readonly retryAlone?: (error: unknown) => boolean;
}

/**
 * Coalesces one kind of statement (session loads, session updates) across concurrent requests. While
 * fewer than `concurrency` statements are in flight an item is sent at once, alone: no added delay
 * when the store is not busy. Beyond that, items queue, and each statement that finishes lets the next
 * one take everything queued (up to `maxBatch`). Under load a request's read or write is then a share
 * of one round trip rather than a round trip of its own. That matters because pg sends one statement
 * per socket write and waits for its answer, and on the machines this was measured on a socket write
 * costs tens of microseconds of CPU (the load of an idle statement, not the database's work, was most
 * of the store's cost per request).
 */
export class StatementBatcher<I, R> {
  readonly #options: StatementBatcherOptions<I, R>;
  #queue: Waiter<I, R>[] = [];
  #inFlight = 0;

  constructor(options: StatementBatcherOptions<I, R>) {
    this.#options = options;
  }

  submit(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ item, key: this.#options.keyOf(item), resolve, reject });
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#inFlight < this.#options.concurrency && this.#queue.length > 0) {
      const batch = this.#take();
      this.#inFlight++;
      void this.#run(batch).finally(() => {
        this.#inFlight--;
        this.#pump();
      });
    }
  }

  /** The next batch, in submission order; with `distinct`, later items of a session already in it stay queued. */
  #take(): Waiter<I, R>[] {
    const { maxBatch, distinct } = this.#options;
    if (this.#queue.length === 1 || (!distinct && this.#queue.length <= maxBatch)) {
      const all = this.#queue;
      this.#queue = [];
      return all;
    }
    const batch: Waiter<I, R>[] = [];
    const rest: Waiter<I, R>[] = [];
    const keys = new Set<string>();
    for (const waiter of this.#queue) {
      if (batch.length >= maxBatch || (distinct && keys.has(waiter.key))) {
        rest.push(waiter);
      } else {
        batch.push(waiter);
        keys.add(waiter.key);
      }
    }
    this.#queue = rest;
    return batch;
  }

  async #run(batch: Waiter<I, R>[]): Promise<void> {
    let results: R[];
    try {
      results = await this.#options.run(batch.map((waiter) => waiter.item));
    } catch (error) {
      if (batch.length > 1 && this.#options.retryAlone?.(error)) {
        // One at a time, within this batch's slot: the retry adds no load beyond the concurrency bound.
        for (const waiter of batch) await this.#run([waiter]);
        return;
      }
      for (const waiter of batch) waiter.reject(error);
      return;
    }
    for (const [i, waiter] of batch.entries()) waiter.resolve(results[i]!);
  }
}
