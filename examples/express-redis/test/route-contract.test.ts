import { fileURLToPath } from 'node:url';
import { defineExampleContract } from '@sess/testkit';
import { Redis } from 'ioredis';
import { afterAll, describe, it } from 'vitest';
import { deleteKeys, REDIS_URL, requireRedis, runPrefix } from './redis-env.js';

if (await requireRedis('the example route contract')) {
  const prefix = runPrefix('contract');
  afterAll(async () => {
    const client = new Redis(REDIS_URL);
    await deleteKeys(client, `${prefix}*`);
    await client.quit();
  });
  defineExampleContract({
    name: 'express-redis',
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: { REDIS_URL, SESS_PREFIX: prefix },
  });
} else {
  describe.skip(`example route contract: express-redis on ${REDIS_URL}`, () => {
    it('needs a reachable Redis', () => undefined);
  });
}
