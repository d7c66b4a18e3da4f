// By relative path: the member helpers are test support of @sess/hazelcast, not its published API.
import { MEMBER_VERSION, MemberCluster } from '../../packages/hazelcast/test/members/hazelcast-members.js';
import { COUNTING_NOTE, runRedisBenchmark } from './lib/redis-bench.js';
import { ourId } from './lib/redis-variants.js';

/**
 * @sess/koa + @sess/hazelcast next to @sess/koa + @sess/redis, same workloads, same run: two private
 * Hazelcast members (the test suites' config) and a private redis-server on loopback, all started here.
 * Usage: pnpm --filter @sess/benchmarks bench:koa-hazelcast   (QUICK=1 for a smoke run)
 */
const MEASURED_REQUESTS = 50;

const members = await MemberCluster.start(2, 'sess-bench');
try {
  const HAZELCAST_NOTE = `Hazelcast: ${MEMBER_VERSION} members (two, on loopback, test/members/hazelcast-member.xml of
@sess/hazelcast, -Xmx256m), one smart-routing client per server process with
\`jsonStringDeserializationPolicy: NO_DESERIALIZATION\`. Its "store ops / request" is member calls
(IMap invocations) per request, counted at the map over ${MEASURED_REQUESTS} sequential requests on one session
(by method), each awaited before the next, so an update is 3 sequential round trips against Redis' 2
(why it cannot be fewer: docs/hazelcast.md). The Redis row counts Redis round trips as described
below. "server CPU / request" is the Node server's alone for every row; the two member JVMs share the
machine's 2 cores with it and with the load generator (their CPU is not measured here), so
throughput is the less telling figure.`;

  await runRedisBenchmark({
    key: 'koa-hazelcast',
    stack: 'Koa + Hazelcast next to Koa + Redis',
    variants: (name, redis) => {
      const path = name === 'read' ? '/read' : '/inc';
      return [
        {
          label: '@sess/koa + @sess/hazelcast (2 members)',
          server: 'koa-sess-hazelcast.ts',
          cookieName: 'sid',
          env: {
            HAZELCAST_MEMBERS: members.addresses.join(','),
            HAZELCAST_CLUSTER_NAME: members.clusterName,
            SESS_MAP_NAME: `bench-${name}`,
          },
          measureOpsPerRequest: (url, cookie) => countMemberCalls(url, path, cookie),
        },
        {
          label: '@sess/koa + @sess/redis (ioredis)',
          server: 'koa-sess-redis.ts',
          cookieName: 'sid',
          env: { REDIS_URL: redis.redisUrl, SESS_PREFIX: 'bench:koa:' },
          measureOpsPerRequest: redis.countCommands(ourId),
        },
      ];
    },
    notes: () => `${HAZELCAST_NOTE}\n\n${COUNTING_NOTE}`,
  });
} finally {
  await members.stop();
}

async function countMemberCalls(url: string, path: string, cookie: string): Promise<string> {
  // Requests the warm-up left in flight finish before counting starts.
  await new Promise((resolve) => setTimeout(resolve, 500));
  await (await fetch(`${url}/__member-calls?reset=1`)).text();
  for (let i = 0; i < MEASURED_REQUESTS; i++) {
    const response = await fetch(url + path, { headers: { cookie } });
    await response.text();
    if (!response.ok) throw new Error(`GET ${path} answered ${response.status} while counting calls`);
  }
  const calls = (await (await fetch(`${url}/__member-calls`)).json()) as Record<string, number>;
  const per = (n: number) => Number((n / MEASURED_REQUESTS).toFixed(2));
  const total = Object.values(calls).reduce((a, b) => a + b, 0);
  const detail = Object.entries(calls)
    .map(([method, n]) => `${method} ${per(n)}`)
    .join(', ');
  console.log(`    ${path}: ${per(total)} member calls per request (${detail})`);
  return `${per(total)} (${detail})`;
}
