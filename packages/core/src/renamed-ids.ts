/** Most renames remembered at once; beyond it the oldest are forgotten first. */
const MAX_REMEMBERED = 100_000;
/** Longest chain of renames followed (a session rotated again while a write was in flight). */
const MAX_HOPS = 8;

interface Rename {
  readonly to: string;
  readonly at: number;
  /** Resolves true once the store renamed the session, false if it did not. */
  readonly done: Promise<boolean>;
}

/**
 * The ids this process renamed recently (old -> new), so a write that was in flight on the old id
 * when the rename happened can be applied to the new id instead of being dropped. In-process only,
 * for `windowMs`; entries are recorded before the store is asked to rename, so a write that sees the
 * old id gone while the rename is still being acknowledged waits for it.
 */
export class RenamedIds {
  readonly #windowMs: number;
  readonly #renames = new Map<string, Rename>();

  constructor(windowMs: number) {
    this.#windowMs = windowMs;
  }

  get enabled(): boolean {
    return this.#windowMs > 0;
  }

  /** Records a rename about to be sent to the store; `done` settles with its result. */
  record(from: string, to: string, now: number, done: Promise<boolean>): void {
    if (!this.enabled) return;
    this.#forgetOld(now);
    const entry: Rename = { to, at: now, done: done.catch(() => false) };
    this.#renames.delete(from);
    this.#renames.set(from, entry);
    void entry.done.then((renamed) => {
      if (!renamed && this.#renames.get(from) === entry) this.#renames.delete(from);
    });
  }

  /** Where the session once called `id` lives now, following renames; undefined when unknown. */
  async current(id: string, now: number): Promise<string | undefined> {
    let target: string | undefined;
    let from = id;
    for (let hop = 0; hop < MAX_HOPS; hop++) {
      const entry = this.#renames.get(from);
      if (entry === undefined || now - entry.at > this.#windowMs) break;
      if (!(await entry.done)) break;
      target = entry.to;
      from = entry.to;
    }
    return target;
  }

  /** Entries are in insertion (= time) order: drop expired ones from the front, and the oldest past the cap. */
  #forgetOld(now: number): void {
    for (const [from, entry] of this.#renames) {
      if (now - entry.at <= this.#windowMs && this.#renames.size < MAX_REMEMBERED) break;
      this.#renames.delete(from);
    }
  }
}
