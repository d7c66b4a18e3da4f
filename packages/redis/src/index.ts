export { KeyLayout } from './key-layout.js';
export type { RedisClient } from './redis-client.js';
export { RedisStore, redisStore } from './redis-store.js';
export type { RedisBackgroundSource, RedisStoreOptions } from './redis-store-options.js';
