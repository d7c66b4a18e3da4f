export { MemoryStore, type MemoryStoreOptions, memoryStore } from './memory-store.js';
