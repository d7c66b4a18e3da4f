import { type EventGap, ListenerSet } from '@sess/core/store';

/** The parts of a HazelcastClient this watches; absent on test doubles (then no gaps are reported). */
interface ConnectionEvents {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
}
interface Membership {
  addMembershipListener(listener: { memberAdded(): void; memberRemoved(): void }): string;
  removeMembershipListener(id: string): boolean;
}

/** hazelcast-client 5.x ConnectionManager event names (lib/network/ConnectionManager.js). */
const CONNECTION_ADDED = 'connectionAdded';
const CONNECTION_REMOVED = 'connectionRemoved';

/**
 * Spans in which entry events may have been lost. Members send entry events over the client's
 * connections (smart routing: each member for its own partitions), and nothing replays what was sent
 * while a connection was down. So a gap opens when a member connection drops, and closes when a
 * connection is added again (the client re-sends the listener registration on it) or when the
 * cluster drops that member (its partitions, and their events, move to the survivors).
 */
export class ConnectionGaps {
  readonly #connections: ConnectionEvents;
  readonly #cluster: Membership;
  readonly #listeners: ListenerSet<EventGap>;
  #openSince: number | null = null;
  #membershipId: string | null = null;

  /** Null when `client` does not expose what this needs (a test double, another client version). */
  static for(client: unknown, onError: (error: unknown) => void): ConnectionGaps | null {
    const c = client as { getConnectionManager?: () => unknown; getCluster?: () => unknown };
    if (typeof c.getConnectionManager !== 'function' || typeof c.getCluster !== 'function') return null;
    const connections = c.getConnectionManager() as Partial<ConnectionEvents> | null;
    const cluster = c.getCluster() as Partial<Membership> | null;
    if (typeof connections?.on !== 'function' || typeof connections.off !== 'function') return null;
    if (typeof cluster?.addMembershipListener !== 'function') return null;
    return new ConnectionGaps(connections as ConnectionEvents, cluster as Membership, onError);
  }

  private constructor(connections: ConnectionEvents, cluster: Membership, onError: (error: unknown) => void) {
    this.#connections = connections;
    this.#cluster = cluster;
    this.#listeners = new ListenerSet(onError);
  }

  subscribe(listener: (gap: EventGap) => void): () => void {
    if (this.#listeners.size === 0) this.#watch();
    const off = this.#listeners.add(listener);
    return () => {
      off();
      if (this.#listeners.size === 0) this.#unwatch();
    };
  }

  close(): void {
    this.#listeners.clear();
    this.#unwatch();
  }

  readonly #opened = (): void => {
    this.#openSince ??= Date.now();
  };

  readonly #closed = (): void => {
    const from = this.#openSince;
    if (from === null) return;
    this.#openSince = null;
    this.#listeners.emit({ from, to: Date.now() });
  };

  #watch(): void {
    this.#connections.on(CONNECTION_REMOVED, this.#opened);
    this.#connections.on(CONNECTION_ADDED, this.#closed);
    this.#membershipId = this.#cluster.addMembershipListener({
      memberAdded: () => undefined,
      memberRemoved: this.#closed,
    });
  }

  #unwatch(): void {
    this.#connections.off(CONNECTION_REMOVED, this.#opened);
    this.#connections.off(CONNECTION_ADDED, this.#closed);
    if (this.#membershipId !== null) this.#cluster.removeMembershipListener(this.#membershipId);
    this.#membershipId = null;
    this.#openSince = null;
  }
}
