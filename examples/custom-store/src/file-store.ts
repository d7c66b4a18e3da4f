import { randomBytes } from 'node:crypto';
import { link, mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  SessionConflictError,
  SessionDecodeError,
  type SessionRecord,
  type SessionStore,
  type SessionTouch,
  type SessionWrite,
  StoreUnavailableError,
} from '@sess/core';

/**
 * A session store that keeps one JSON file per session: an example of a third-party store written
 * only against @sess/core's public interfaces, and proven by the conformance kit (test/).
 *
 * Atomicity: each file is replaced atomically (write a temp file, then rename), and writes to one
 * session are serialised within this process, so a delta never loses a concurrent delta. Several
 * processes sharing one directory are NOT serialised against each other: use a real store for that.
 * Finding by principal scans the directory: fine for an example, O(sessions) per lookup.
 */
export interface FileStoreOptions {
  /** Directory for session files; created if missing. */
  directory: string;
}

interface FileContents {
  createdAt: number;
  lastAccessedAt: number;
  maxInactiveMs: number;
  absoluteExpiresAt: number | null;
  expiresAt: number;
  principal: string | null;
  attributes: Record<string, string>;
}

const SAFE_ID = /^[A-Za-z0-9_-]{1,200}$/;

export class FileStore implements SessionStore {
  readonly name = 'file';
  // No changeId and no subscribe (capabilities are the methods a store has): core falls back to
  // copy + delete for id changes, and raises created / deleted / id-changed / expired-on-read itself.
  readonly #directory: string;
  readonly #ready: Promise<unknown>;
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(options: FileStoreOptions) {
    this.#directory = options.directory;
    this.#ready = mkdir(this.#directory, { recursive: true }).catch((error: unknown) => {
      throw unavailable(error);
    });
    // Each operation awaits it and fails with that error; unawaited, it must not crash the process.
    this.#ready.catch(() => undefined);
  }

  async load(id: string): Promise<SessionRecord | null> {
    const contents = await this.#read(id);
    return contents && toRecord(id, contents);
  }

  save(write: SessionWrite): Promise<boolean> {
    return this.#serialised(write.id, async () => {
      if (write.kind === 'create') {
        const contents: FileContents = {
          createdAt: write.createdAt,
          lastAccessedAt: write.lastAccessedAt,
          maxInactiveMs: write.maxInactiveMs,
          absoluteExpiresAt: write.absoluteExpiresAt,
          expiresAt: write.expiresAt,
          principal: write.principal ?? null,
          attributes: Object.fromEntries(write.set),
        };
        await this.#create(write.id, contents);
        return true;
      }
      const contents = await this.#read(write.id);
      if (!contents || contents.expiresAt <= write.now) return false;
      contents.lastAccessedAt = write.lastAccessedAt;
      contents.maxInactiveMs = write.maxInactiveMs;
      contents.expiresAt = write.expiresAt;
      if (write.principal !== undefined) contents.principal = write.principal;
      const attributes = new Map(Object.entries(contents.attributes));
      for (const [name, value] of write.set) attributes.set(name, value);
      for (const name of write.removed) attributes.delete(name);
      contents.attributes = Object.fromEntries(attributes);
      await this.#replace(write.id, contents);
      return true;
    });
  }

  touch(touch: SessionTouch): Promise<boolean> {
    return this.#serialised(touch.id, async () => {
      const contents = await this.#read(touch.id);
      if (!contents || contents.expiresAt <= touch.now) return false;
      contents.lastAccessedAt = touch.lastAccessedAt;
      contents.expiresAt = touch.expiresAt;
      await this.#replace(touch.id, contents);
      return true;
    });
  }

  delete(id: string): Promise<boolean> {
    return this.#serialised(id, async () => {
      try {
        await unlink(this.#path(id));
        return true;
      } catch (error) {
        if (isMissing(error)) return false;
        throw unavailable(error);
      }
    });
  }

  async findByPrincipal(principal: string): Promise<SessionRecord[]> {
    const records: SessionRecord[] = [];
    for (const id of await this.#ids()) {
      const contents = await this.#read(id).catch(() => null); // unreadable files are not a match
      if (contents?.principal === principal) records.push(toRecord(id, contents));
    }
    return records;
  }

  async cleanupExpired(now: number): Promise<number> {
    let removed = 0;
    for (const id of await this.#ids()) {
      const contents = await this.#read(id).catch(() => null);
      if (contents && contents.expiresAt <= now && (await this.delete(id))) removed++;
    }
    return removed;
  }

  /** Runs `task` after every earlier task for the same id: per-session atomic read-modify-write. */
  #serialised<T>(id: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(id) ?? Promise.resolve();
    const next = previous.then(task, task);
    const settled = next.catch(() => undefined);
    this.#queues.set(id, settled);
    void settled.then(() => {
      if (this.#queues.get(id) === settled) this.#queues.delete(id);
    });
    return next;
  }

  #path(id: string): string {
    // Core validates ids before they reach a store; a store still never trusts a name it builds a path from.
    if (!SAFE_ID.test(id)) throw new SessionDecodeError('Refusing an id that is not a safe file name');
    return join(this.#directory, `${id}.json`);
  }

  async #read(id: string): Promise<FileContents | null> {
    await this.#ready;
    let text: string;
    try {
      text = await readFile(this.#path(id), 'utf8');
    } catch (error) {
      if (isMissing(error)) return null;
      throw unavailable(error);
    }
    try {
      return parseContents(text);
    } catch (error) {
      throw new SessionDecodeError('A session file is not valid', { cause: error });
    }
  }

  /** Create-if-absent: link() fails when the target exists, so two creates never share an id. */
  async #create(id: string, contents: FileContents): Promise<void> {
    const temp = await this.#writeTemp(contents);
    try {
      await link(temp, this.#path(id));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST')
        throw new SessionConflictError('A session with this id exists');
      throw unavailable(error);
    } finally {
      await unlink(temp).catch(() => undefined);
    }
  }

  async #replace(id: string, contents: FileContents): Promise<void> {
    const temp = await this.#writeTemp(contents);
    await rename(temp, this.#path(id)).catch((error: unknown) => {
      throw unavailable(error);
    });
  }

  async #writeTemp(contents: FileContents): Promise<string> {
    await this.#ready;
    const temp = join(this.#directory, `.tmp-${randomBytes(8).toString('hex')}`);
    await writeFile(temp, JSON.stringify(contents)).catch((error: unknown) => {
      throw unavailable(error);
    });
    return temp;
  }

  async #ids(): Promise<string[]> {
    await this.#ready;
    const names = await readdir(this.#directory).catch((error: unknown) => {
      throw unavailable(error);
    });
    return names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5));
  }
}

function toRecord(id: string, contents: FileContents): SessionRecord {
  // Object.entries on parsed JSON: "__proto__" arrives as an ordinary own key, never a prototype.
  return { id, ...contents, attributes: new Map(Object.entries(contents.attributes)) };
}

function parseContents(text: string): FileContents {
  const value = JSON.parse(text) as Partial<FileContents>;
  const numbers = ['createdAt', 'lastAccessedAt', 'maxInactiveMs', 'expiresAt'] as const;
  if (typeof value !== 'object' || value === null) throw new Error('not an object');
  for (const key of numbers) if (typeof value[key] !== 'number') throw new Error(`${key} is not a number`);
  if (typeof value.attributes !== 'object' || value.attributes === null)
    throw new Error('attributes missing');
  for (const encoded of Object.values(value.attributes))
    if (typeof encoded !== 'string') throw new Error('bad attribute');
  return value as FileContents;
}

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';
const unavailable = (error: unknown) =>
  new StoreUnavailableError(
    'The session directory cannot be read or written; check its path and permissions',
    { cause: error },
  );
