export { HazelcastStore, hazelcastStore } from './hazelcast-store.js';
export type { HazelcastBackgroundSource, HazelcastStoreOptions } from './hazelcast-store-options.js';
export type { SessionMap, SessionMapMethod, SessionMapSource } from './session-map.js';
