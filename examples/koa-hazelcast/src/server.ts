import type { AddressInfo } from 'node:net';
import { createSessionRepository } from '@sess/core';
import { HazelcastStore } from '@sess/hazelcast';
import {
  Client,
  type ILogger,
  JsonStringDeserializationPolicy,
  LifecycleState,
  LogLevel,
  ReconnectMode,
} from 'hazelcast-client';
import { type AppSession, createApp } from './app.js';

const members = (process.env.HAZELCAST_MEMBERS ?? '127.0.0.1:5701')
  .split(',')
  .map((member) => member.trim())
  .filter((member) => member.length > 0);
const clusterName = process.env.HAZELCAST_CLUSTER_NAME ?? 'dev'; // the docker image's default
const mapName = process.env.SESS_MAP_NAME ?? 'sess-sessions';

/**
 * How long startup may wait for the cluster before the app refuses to start. The bound is ours, not the
 * client's `connectionRetry.clusterConnectTimeoutMillis`: the client applies that timeout to every later
 * reconnect as well and shuts itself down for good when one runs out (ConnectionManager.js, 5.6.0), so a
 * short value would turn any outage longer than it into a permanent one. It also would not cover a
 * listener that accepts TCP but never answers the handshake (authentication waits for the heartbeat
 * timeout, 60 s by default).
 */
const STARTUP_TIMEOUT_MS = 5000;

let started = false;
let lastConnectError = '';
let lastLogged = '';
// The client logs INFO chatter to stdout by default. Before startup its connection errors feed the one
// line printed when the cluster is unreachable; afterwards only its errors are shown, once each, and the
// lifecycle listener below reports disconnects and reconnects.
const logger: ILogger = {
  log(level, _objectName, message) {
    const refused = /^Error during initial connection to \S+ (?:\w*Error: )?(.*)$/.exec(message);
    if (!started) {
      if (refused) lastConnectError = refused[1]!;
      return;
    }
    if (level > LogLevel.ERROR || message === lastLogged) return;
    lastLogged = message;
    console.warn(`hazelcast: ${message}`);
  },
  error(objectName, message, furtherInfo) {
    this.log(LogLevel.ERROR, objectName, message, furtherInfo);
  },
  warn(objectName, message, furtherInfo) {
    this.log(LogLevel.WARN, objectName, message, furtherInfo);
  },
  info(objectName, message, furtherInfo) {
    this.log(LogLevel.INFO, objectName, message, furtherInfo);
  },
  debug() {},
  trace() {},
};

let stopping = false;
const connecting = Client.newHazelcastClient({
  clusterName,
  network: {
    clusterMembers: members,
    connectionTimeout: 2000, // per attempt: a member that does not accept within 2 s is down
  },
  connectionStrategy: {
    // While the cluster is away, map calls fail at once (the store answers 503) instead of queueing, and
    // the client keeps reconnecting in the background (no clusterConnectTimeoutMillis, see above), at
    // most 5 s apart, so the app recovers by itself when members return.
    reconnectMode: ReconnectMode.ASYNC,
    connectionRetry: {
      clusterConnectTimeoutMillis: -1,
      initialBackoffMillis: 500,
      maxBackoffMillis: 5000,
      jitter: 0.2,
    },
  },
  // What packages/hazelcast/README.md recommends: the store reads the raw JSON text, and an unparseable
  // entry cannot crash the process while the client delivers an event.
  serialization: { jsonStringDeserializationPolicy: JsonStringDeserializationPolicy.NO_DESERIALIZATION },
  customLogger: logger,
  lifecycleListeners: [
    (state) => {
      if (!started || stopping) return;
      if (state === LifecycleState.DISCONNECTED)
        console.warn('hazelcast: disconnected from the cluster; session requests get 503 until it is back');
      else if (state === LifecycleState.CONNECTED) console.warn('hazelcast: connected to the cluster again');
    },
  ],
});

const client = await Promise.race([
  connecting.catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))),
  new Promise<'timeout'>((resolve) => setTimeout(resolve, STARTUP_TIMEOUT_MS, 'timeout').unref()),
]);
if (!(client instanceof Client)) {
  const seconds = STARTUP_TIMEOUT_MS / 1000;
  const reason =
    lastConnectError || (client === 'timeout' ? `no member answered within ${seconds} s` : client.message);
  console.error(
    `Cannot reach a Hazelcast member at ${members.join(', ')} (cluster "${clusterName}": ${reason}); ` +
      'start one with `docker run -p 5701:5701 hazelcast/hazelcast:5.5` or set HAZELCAST_MEMBERS',
  );
  // The client may still be retrying in the background (it has no connect timeout of its own here).
  process.exit(1);
}
started = true;

const repository = createSessionRepository<AppSession>({
  store: new HazelcastStore({ client, mapName }),
  idleTimeoutMs: 30 * 60_000, // 30 min without a request ends a session
  absoluteTimeoutMs: 8 * 60 * 60_000, // and none lives longer than 8 h
});
const app = createApp(repository, `Hazelcast store (cluster "${clusterName}" at ${members.join(', ')})`);

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const server = app.listen(port, host, () => {
  const { port: bound } = server.address() as AddressInfo;
  console.log(`@sess example (koa + hazelcast) listening on http://${host}:${bound}`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stopping = true;
    server.close(() => {
      // The repository (its map listener) first, then the client it uses: the store never shuts it down.
      void repository
        .close()
        .then(() => client.shutdown())
        .then(
          () => process.exit(0),
          () => process.exit(1),
        );
    });
    server.closeAllConnections();
  });
}
