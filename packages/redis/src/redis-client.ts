import type { Cluster, Redis } from 'ioredis';

/** The user's ioredis client: a standalone / Sentinel `Redis` or a `Cluster`. */
export type RedisClient = Redis | Cluster;

/** True for an ioredis Cluster, recognised without importing ioredis (the user's copy may differ). */
export function isCluster(client: RedisClient): client is Cluster {
  return (client as { isCluster?: unknown }).isCluster === true;
}
