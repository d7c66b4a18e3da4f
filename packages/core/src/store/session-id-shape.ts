/** Longest id a store must accept: far above what any generator here makes (43 characters by default). */
const MAX_ID_LENGTH = 1024;
/** Printable ASCII without space, quote or backslash: safe in keys, URLs and logs. */
const ID_SHAPE = /^[!#-[\]-~]+$/;

/**
 * True when `id` can be a session id at all. Core only hands stores ids its generator made; a store
 * that is also called directly checks this: a read of an id that is not well formed finds nothing
 * (resolve null / false), a write of one is a caller's bug (throw a TypeError).
 */
export function isWellFormedSessionId(id: unknown): id is string {
  return typeof id === 'string' && id.length > 0 && id.length <= MAX_ID_LENGTH && ID_SHAPE.test(id);
}
