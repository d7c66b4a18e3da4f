/**
 * Measures how late 'expired' events arrive on real members: starts two private members whose
 * expiration task runs every PERIOD seconds (default 5, Hazelcast's default), creates SESSIONS
 * sessions through the store with a 1 s idle timeout, and prints how long after each session's expiry
 * a second process (another client and store) heard its 'expired' event. Used for docs/hazelcast.md.
 *
 *   PERIOD=5 SESSIONS=40 npx tsx packages/hazelcast/test/members/measure-expiry-delay.ts
 */
import { createSessionRepository } from '@sess/core';
import { HazelcastStore } from '../../src/index.js';
import { MEMBER_VERSION, MemberCluster } from './hazelcast-members.js';
import { connect } from './live-cluster-client.js';

const period = Number(process.env.PERIOD ?? 5);
const sessions = Number(process.env.SESSIONS ?? 40);
const members = await MemberCluster.start(2, 'sess-expiry', period);
try {
  const [writerClient, watcherClient] = await Promise.all([
    connect({ clusterName: members.clusterName, members: members.addresses }),
    connect({ clusterName: members.clusterName, members: members.addresses }),
  ]);
  const mapName = 'sess-expiry-delay';
  const writer = createSessionRepository({
    store: new HazelcastStore({ client: writerClient, mapName }),
    idleTimeoutMs: 1000,
  });
  const watcher = new HazelcastStore({ client: watcherClient, mapName });
  const due = new Map<string, number>();
  const delays: number[] = [];
  watcher.subscribe((event) => {
    const at = due.get(event.sessionId);
    if (event.type === 'expired' && at !== undefined) delays.push(Date.now() - at);
  });
  await watcher.load('probe'.padEnd(43, 'x'));
  for (let i = 0; i < sessions; i++) {
    const session = writer.createSession().set('i', i);
    await writer.save(session);
    due.set(session.id, session.expiresAt);
    await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
  }
  const deadline = Date.now() + 60_000 + period * 10_000;
  while (delays.length < sessions && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  delays.sort((a, b) => a - b);
  const at = (q: number) => delays[Math.min(delays.length - 1, Math.floor(q * delays.length))];
  console.log(
    `members ${MEMBER_VERSION}, expiration task every ${period} s: ${delays.length}/${sessions} expired events; ` +
      `after the expiry: min ${delays[0]} ms, median ${at(0.5)} ms, p90 ${at(0.9)} ms, max ${delays.at(-1)} ms`,
  );
  await watcher.close();
  await (await writerClient.getMap(mapName)).destroy();
  await Promise.all([writerClient.shutdown(), watcherClient.shutdown()]);
} finally {
  await members.stop();
}
