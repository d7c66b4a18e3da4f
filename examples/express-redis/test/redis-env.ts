import { Redis } from 'ioredis';

/** The Redis the tests use (REDIS_URL, default redis://127.0.0.1:6379). */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix of this test run alone, so runs never see (or delete) each other's keys. */
export const runPrefix = (name: string) =>
  `sess-example-test:${name}:${process.pid}-${Date.now().toString(36)}:`;

/** Whether a Redis answers PING at REDIS_URL within a second. */
export async function redisReachable(): Promise<boolean> {
  const probe = new Redis(REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  probe.on('error', () => undefined);
  try {
    await Promise.race([
      probe.connect().then(() => probe.ping()),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 1000)),
    ]);
    return true;
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

/** With CI set, a missing Redis fails the run; locally the suite is skipped with a message. */
export async function requireRedis(suite: string): Promise<boolean> {
  if (await redisReachable()) return true;
  const message = `${suite} needs Redis at ${REDIS_URL} (set REDIS_URL)`;
  if (process.env.CI) throw new Error(`${message}: required in CI but not reachable`);
  console.warn(`[example-express-redis tests] skipped: ${message}`);
  return false;
}

/** Deletes every key matching `pattern` (SCAN, not KEYS, so a shared Redis is not blocked). */
export async function deleteKeys(client: Redis, pattern: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await client.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}
