export { HazelcastStore, type HazelcastStoreOptions, hazelcastStore } from './hazelcast-store.js';
export type { SessionMap, SessionMapMethod, SessionMapSource } from './session-map.js';
