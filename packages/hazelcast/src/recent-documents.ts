import type { StoredValue } from './stored-session.js';

type Session = StoredValue & { kind: 'session' };

/**
 * The last document this process read or wrote per session id, for a few hundred recent ids. A save
 * compares against it instead of reading the entry again; when someone else wrote meanwhile the
 * compare fails and the save reads the entry as usual, so a stale copy costs one round trip, never a
 * lost write. Each copy serves one write (`take` removes it), and the oldest are dropped first once
 * there are more than `maxCount` of them or their text exceeds `maxChars` in all.
 */
export class RecentDocuments {
  readonly #maxCount: number;
  readonly #maxChars: number;
  readonly #documents = new Map<string, Session>();
  #chars = 0;

  constructor(maxCount: number, maxChars: number) {
    this.#maxCount = maxCount;
    this.#maxChars = maxChars;
  }

  remember(id: string, document: Session): void {
    this.forget(id);
    if (document.text.length > this.#maxChars) return;
    this.#documents.set(id, document);
    this.#chars += document.text.length;
    while (this.#documents.size > this.#maxCount || this.#chars > this.#maxChars) {
      const oldest = this.#documents.keys().next();
      if (oldest.done) break;
      this.forget(oldest.value);
    }
  }

  take(id: string): Session | null {
    const document = this.#documents.get(id);
    if (document === undefined) return null;
    this.forget(id);
    return document;
  }

  forget(id: string): void {
    const document = this.#documents.get(id);
    if (document === undefined) return;
    this.#documents.delete(id);
    this.#chars -= document.text.length;
  }
}
