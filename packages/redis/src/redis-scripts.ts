import { LuaScript } from './lua-script.js';

/**
 * The Lua scripts behind every write. Each runs on one bucket, so all keys it touches share one hash
 * slot: the ones it declares in KEYS, and the session keys the sweep derives from the bucket's key
 * prefix (same hash tag, hence same slot). Times compared with `now` are core's clock (ms); TTLs are
 * relative, so a skew between the application's clock and Redis' clock never shortens a session; the
 * expiry schedule is kept in Redis server time (TIME), the clock Redis expires keys by.
 */

const PRELUDE = `
local function server_now()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function num(x) return string.format('%.0f', x) end
local function hset_pairs(key, argv, from, count)
  if count == 0 then return end
  if count <= 500 then
    redis.call('HSET', key, unpack(argv, from, from + 2 * count - 1))
    return
  end
  local done = 0
  while done < count do
    local n = math.min(count - done, 500)
    local args = {}
    for j = 0, n - 1 do
      local at = from + 2 * (done + j)
      args[#args + 1] = argv[at]
      args[#args + 1] = argv[at + 1]
    end
    redis.call('HSET', key, unpack(args))
    done = done + n
  end
end
local function hdel_list(key, argv, from, last)
  local at = from
  while at <= last do
    local args = {}
    while at <= last and #args < 500 do
      args[#args + 1] = argv[at]
      at = at + 1
    end
    redis.call('HDEL', key, unpack(args))
  end
end
-- The metadata the write scripts decide on, in one call (a missing hash gives all false; a key of
-- another type raises WRONGTYPE): {expires, moving, principal, indexedUntil}.
local function meta(key)
  return redis.call('HMGET', key, 'm:expires', 'm:moving', 'm:principal', 'm:ixuntil')
end
-- Live: exists, is not being renamed, and is not expired at core's 'now'.
local function live(m, now)
  local expires = tonumber(m[1])
  return not m[2] and expires ~= nil and expires > now
end
-- Sets the session's TTL and keeps the expiry schedule right: its entry must never be later than the
-- time Redis expires the key. A session's expiry only moves later while it is used, so an update or
-- touch leaves the entry where it is (no sorted-set reinsert per request): the sweep re-checks an entry
-- when it comes due and moves it to the real expiry, at most about once per idle timeout per active
-- session. Only a create, or a write that brings the expiry earlier (a shortened timeout: the new TTL
-- is below the key's remaining PTTL, both in Redis time), moves the entry, and only ever earlier.
-- (Comparing TTLs in Redis time keeps this exact whatever the application's clock says.)
-- ttl is a string of digits (ARGV). Returns Redis time (ms) when it had to read it, else nil.
local function expire_and_schedule(key, expiries, kind, ttl, id)
  local pttl = redis.call('PTTL', key)
  local shortened = kind == 'create' or pttl < 0 or tonumber(ttl) < pttl
  redis.call('PEXPIRE', key, ttl)
  local current = tonumber(redis.call('ZSCORE', expiries, id))
  -- (An entry that is missing, e.g. deleted by hand, is put back: the schedule heals on the next write.)
  if current and not shortened then return nil end
  local snow = server_now()
  local score = snow + tonumber(ttl)
  if kind == 'create' or not current or current > score then redis.call('ZADD', expiries, num(score), id) end
  return snow
end
-- A bookkeeping key (schedule, owner map) of another type than ours: name it before writing anything,
-- so the caller can replace it and run the script again (see REPAIR).
local function foreign(key, want)
  local t = redis.call('TYPE', key).ok
  return t ~= 'none' and t ~= want
end
local function check_bookkeeping(expiries, owners)
  if foreign(expiries, 'zset') then return {-2, expiries, 'zset'} end
  if owners and foreign(owners, 'hash') then return {-2, owners, 'hash'} end
  return nil
end
local function publish(channel, event)
  if channel ~= '' then redis.call('PUBLISH', channel, cjson.encode(event)) end
end
-- The principal index has its own TTL. When the session is about to outlive it, give the index twice
-- the session's TTL and tell the caller to extend it (at most about once per idle period per session).
-- m: the session's meta() (principal and indexedUntil as they are after this script's own writes).
local function index_refresh(key, m, snow, ttl)
  local principal = m[3]
  if not principal then return {0, '', 0} end
  local indexed_until = tonumber(m[4]) or 0
  if snow + ttl <= indexed_until then return {0, '', 0} end
  redis.call('HSET', key, 'm:ixuntil', num(snow + 2 * ttl))
  return {1, principal, 2 * ttl}
end
`;

function script(name: string, body: string): LuaScript {
  return new LuaScript(name, PRELUDE + body);
}

/**
 * KEYS: session, expiries, owners.
 * ARGV: kind, now, ttl, channel, id, principalMode ('' | 'set' | 'clear'), principal, indexTtl,
 *       pairCount, field/value pairs..., removed fields...
 * Returns {-1} conflict (create), {0} not applied (update), or
 *         {1, hadPrevious, previousPrincipal, refreshIndex, principal, indexTtl}.
 */
export const SAVE = script(
  'save',
  `
local key, expiries, owners = KEYS[1], KEYS[2], KEYS[3]
local kind, now, ttl, channel, id = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4], ARGV[5]
local mode, principal, index_ttl, pairs = ARGV[6], ARGV[7], tonumber(ARGV[8]), tonumber(ARGV[9])
local bad = check_bookkeeping(expiries, owners)
if bad then return bad end
local previous = false
local m
if kind == 'create' then
  if redis.call('EXISTS', key) == 1 then return {-1} end
  m = {false, false, false, false}
else
  m = meta(key)
  if not live(m, now) then return {0} end
  previous = m[3]
end
hset_pairs(key, ARGV, 10, pairs)
hdel_list(key, ARGV, 10 + 2 * pairs, #ARGV)
local snow = expire_and_schedule(key, expiries, kind, ARGV[3], id)
if mode == 'set' then
  snow = snow or server_now()
  redis.call('HSET', key, 'm:principal', principal, 'm:ixuntil', num(snow + index_ttl))
  redis.call('HSET', owners, id, principal)
elseif mode == 'clear' then
  redis.call('HDEL', key, 'm:principal', 'm:ixuntil')
  redis.call('HDEL', owners, id)
end
local refresh = {0, '', 0}
if mode == '' and m[3] then refresh = index_refresh(key, m, snow or server_now(), ttl) end
if kind == 'create' then
  local p = cjson.null
  if mode == 'set' then p = principal end
  publish(channel, {type = 'created', sessionId = id, principal = p})
end
if not previous and refresh[1] == 0 then return {1} end
local had = 0
if previous then had = 1 end
return {1, had, previous or '', refresh[1], refresh[2], refresh[3]}
`,
);

/**
 * The common write, on its own without the prelude (whose helper closures Lua would build on every call):
 * an update of a live session that sets attributes and timestamps, with no principal change and no
 * attribute removed. Three commands for an anonymous session (HMGET, HSET, PEXPIRE); the schedule entry
 * moves only when the expiry comes earlier than the stored one (both in core's clock), and a session
 * with a principal reads Redis' clock to keep its index alive.
 * KEYS: session, expiries. ARGV: now, ttl, expiresAt, id, field/value pairs... (at most 500 pairs).
 * Returns {0} when not applied, {1}, or {1, 1, principal, indexTtl} when the index must be extended.
 */
export const UPDATE = new LuaScript(
  'update',
  `
local key = KEYS[1]
local m = redis.call('HMGET', key, 'm:expires', 'm:moving', 'm:principal', 'm:ixuntil')
local expires = tonumber(m[1])
if m[2] or not expires or expires <= tonumber(ARGV[1]) then return {0} end
local ttl = tonumber(ARGV[2])
local snow
if tonumber(ARGV[3]) < expires then
  local t = redis.call('TIME')
  snow = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  local current = redis.pcall('ZSCORE', KEYS[2], ARGV[4])
  if type(current) == 'table' and current.err then return {-2, KEYS[2], 'zset'} end
  current = tonumber(current)
  if not current or current > snow + ttl then
    redis.call('ZADD', KEYS[2], string.format('%.0f', snow + ttl), ARGV[4])
  end
end
redis.call('HSET', key, unpack(ARGV, 5))
redis.call('PEXPIRE', key, ARGV[2])
if not m[3] then return {1} end
if not snow then
  local t = redis.call('TIME')
  snow = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
if snow + ttl <= (tonumber(m[4]) or 0) then return {1} end
redis.call('HSET', key, 'm:ixuntil', string.format('%.0f', snow + 2 * ttl))
return {1, 1, m[3], 2 * ttl}
`,
);

/**
 * KEYS: session, expiries. ARGV: now, ttl, lastAccessedAt, expiresAt, id.
 * Returns {0} when the session is gone, else {1, refreshIndex, principal, indexTtl}.
 */
export const TOUCH = script(
  'touch',
  `
local key, expiries = KEYS[1], KEYS[2]
local now, ttl = tonumber(ARGV[1]), tonumber(ARGV[2])
local bad = check_bookkeeping(expiries, nil)
if bad then return bad end
local m = meta(key)
if not live(m, now) then return {0} end
redis.call('HSET', key, 'm:accessed', ARGV[3], 'm:expires', ARGV[4])
local snow = expire_and_schedule(key, expiries, 'update', ARGV[2], ARGV[5])
if not m[3] then return {1} end
local refresh = index_refresh(key, m, snow or server_now(), ttl)
return {1, refresh[1], refresh[2], refresh[3]}
`,
);

/**
 * KEYS: session, expiries, owners. ARGV: id, channel.
 * Returns {removed, hasPrincipal, principal}. Reads the principal from the owner map, not from the
 * session hash, so that deleting a corrupt (wrong-type) key works.
 */
export const DELETE = script(
  'delete',
  `
local key, expiries, owners, id = KEYS[1], KEYS[2], KEYS[3], ARGV[1]
local bad = check_bookkeeping(expiries, owners)
if bad then return bad end
local principal = redis.call('HGET', owners, id)
local removed = redis.call('DEL', key)
redis.call('ZREM', expiries, id)
redis.call('HDEL', owners, id)
if removed == 1 then
  publish(ARGV[2], {type = 'deleted', sessionId = id, principal = principal or cjson.null})
end
local has = 0
if principal then has = 1 end
return {removed, has, principal or ''}
`,
);

/**
 * Rename in one step, where every key is reachable from one script (standalone Redis and Sentinel; not
 * Cluster, where the two buckets and the index are in different slots): RENAME keeps the hash and its
 * TTL, the schedule and owner entries move bucket, the principal index swaps the id.
 * KEYS: old session, old expiries, old owners, new session, new expiries, new owners.
 * ARGV: now, newId, oldId, channel, index key prefix (the principal index key is it .. principal .. '}').
 * Returns {0} when the old session is not live, {-1} when the new id is taken, else
 * {1, indexRepaired}.
 */
export const MOVE = script(
  'move',
  `
local now, new_id, old_id = tonumber(ARGV[1]), ARGV[2], ARGV[3]
local bad = check_bookkeeping(KEYS[2], KEYS[3]) or check_bookkeeping(KEYS[5], KEYS[6])
if bad then return bad end
local m = meta(KEYS[1])
if not live(m, now) then return {0} end
if redis.call('EXISTS', KEYS[4]) == 1 then return {-1} end
local pttl = redis.call('PTTL', KEYS[1])
redis.call('RENAME', KEYS[1], KEYS[4])
if pttl < 1 then
  pttl = math.max(1, tonumber(m[1]) - now)
  redis.call('PEXPIRE', KEYS[4], num(pttl))
end
redis.call('ZREM', KEYS[2], old_id)
redis.call('HDEL', KEYS[3], old_id)
local snow = server_now()
redis.call('ZADD', KEYS[5], num(snow + pttl), new_id)
local principal = m[3]
local repaired = 0
if principal then
  redis.call('HSET', KEYS[6], new_id, principal)
  redis.call('HSET', KEYS[4], 'm:ixuntil', num(snow + 2 * pttl))
  local index = ARGV[5] .. principal .. '}'
  if foreign(index, 'set') then
    redis.call('DEL', index)
    repaired = 1
  end
  redis.call('SADD', index, new_id)
  redis.call('SREM', index, old_id)
  if redis.call('PTTL', index) < 2 * pttl then redis.call('PEXPIRE', index, num(2 * pttl)) end
end
publish(ARGV[4], {type = 'id-changed', sessionId = new_id, previousId = old_id, principal = principal or cjson.null})
return {1, repaired}
`,
);

/**
 * Rename, step 1, on the old id's bucket: mark the session as moving (from now on loads see nothing and
 * updates and touches resolve false), take it off the expiry schedule (a rename is not an expiry), and
 * return its contents. KEYS: session, expiries, owners. ARGV: now, newId, oldId.
 * Returns {0} when not live, else {1, pttl, score, hasOwner, owner, fields}.
 */
export const BEGIN_MOVE = script(
  'begin-move',
  `
local key, expiries, owners = KEYS[1], KEYS[2], KEYS[3]
local now, id = tonumber(ARGV[1]), ARGV[3]
local bad = check_bookkeeping(expiries, owners)
if bad then return bad end
if not live(meta(key), now) then return {0} end
local pttl = redis.call('PTTL', key)
if pttl < 1 then pttl = math.max(1, tonumber(redis.call('HGET', key, 'm:expires')) - now) end
redis.call('HSET', key, 'm:moving', ARGV[2])
local score = redis.call('ZSCORE', expiries, id)
redis.call('ZREM', expiries, id)
local owner = redis.call('HGET', owners, id)
redis.call('HDEL', owners, id)
local has = 0
if owner then has = 1 end
return {1, pttl, score or '', has, owner or '', redis.call('HGETALL', key)}
`,
);

/**
 * Rename, step 2, on the new id's bucket: create-if-absent with the copied fields and the remaining TTL.
 * KEYS: session, expiries, owners.
 * ARGV: ttl, newId, oldId, channel, hasPrincipal, principal, indexTtl, pairCount, pairs...
 * Returns -1 when the new id is taken, else 1.
 */
export const ADOPT = script(
  'adopt',
  `
local key, expiries, owners = KEYS[1], KEYS[2], KEYS[3]
local ttl, id = tonumber(ARGV[1]), ARGV[2]
local bad = check_bookkeeping(expiries, owners)
if bad then return bad end
if redis.call('EXISTS', key) == 1 then return -1 end
local snow = server_now()
hset_pairs(key, ARGV, 9, tonumber(ARGV[8]))
local p = cjson.null
if ARGV[5] == '1' then
  p = ARGV[6]
  redis.call('HSET', key, 'm:ixuntil', num(snow + tonumber(ARGV[7])))
  redis.call('HSET', owners, id, p)
end
redis.call('PEXPIRE', key, num(ttl))
redis.call('ZADD', expiries, num(snow + ttl), id)
publish(ARGV[4], {type = 'id-changed', sessionId = id, previousId = ARGV[3], principal = p})
return 1
`,
);

/** Rename, step 3: delete the old hash if it is still the one this rename marked. KEYS: session. ARGV: newId. */
export const FINISH_MOVE = script(
  'finish-move',
  `
if redis.call('HGET', KEYS[1], 'm:moving') == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`,
);

/**
 * Rename failed: unmark the old session and put it back on the schedule and in the owner map.
 * KEYS: session, expiries, owners. ARGV: newId, oldId, score, hasOwner, owner.
 */
export const ABORT_MOVE = script(
  'abort-move',
  `
local key, expiries, owners = KEYS[1], KEYS[2], KEYS[3]
if redis.call('HGET', key, 'm:moving') ~= ARGV[1] then return 0 end
redis.call('HDEL', key, 'm:moving')
if ARGV[3] ~= '' then redis.call('ZADD', expiries, ARGV[3], ARGV[2]) end
if ARGV[4] == '1' then redis.call('HSET', owners, ARGV[2], ARGV[5]) end
return 1
`,
);

/**
 * One sweep of one bucket. The lock (SET NX PX) keeps other store instances from repeating the work
 * within the same interval; exactly-once reporting does not depend on it: an expiry is reported by the
 * script run whose ZREM removed it from the schedule, and scripts run one at a time.
 * A PTTL lookup of a key past its TTL makes the master delete it, so this works when active expiry has
 * not got to the key yet and whether or not keyspace notifications are enabled.
 * KEYS: expiries, owners, lock. ARGV: sessionKeyPrefix, lockMs, limit, channel.
 * Returns {-1} when another instance holds the lock, else {dueCount, expiredCount, id, principal, ...,
 * nextDueMs} listing the expired sessions that had a principal (their index entries are removed by the
 * caller), and when the bucket's next entry comes due (-1: none).
 */
export const SWEEP = script(
  'sweep',
  `
local expiries, owners = KEYS[1], KEYS[2]
local bad = check_bookkeeping(expiries, owners)
if bad then return bad end
if tonumber(ARGV[2]) > 0 and not redis.call('SET', KEYS[3], '1', 'NX', 'PX', ARGV[2]) then return {-1} end
local snow = server_now()
local due = redis.call('ZRANGEBYSCORE', expiries, '-inf', num(snow), 'LIMIT', 0, tonumber(ARGV[3]))
local out = {#due, 0}
for _, id in ipairs(due) do
  local pttl = redis.call('PTTL', ARGV[1] .. id)
  if pttl == -2 then
    redis.call('ZREM', expiries, id)
    local principal = redis.call('HGET', owners, id)
    redis.call('HDEL', owners, id)
    publish(ARGV[4], {type = 'expired', sessionId = id, principal = principal or cjson.null})
    out[2] = out[2] + 1
    if principal then
      out[#out + 1] = id
      out[#out + 1] = principal
    end
  elseif pttl == -1 then
    -- Someone made the key persistent: it will never expire, so it has no place on the schedule.
    redis.call('ZREM', expiries, id)
  else
    redis.call('ZADD', expiries, num(snow + pttl), id)
  end
end
-- When the next entry of this bucket comes due (ms from now; -1: the bucket's schedule is empty).
local first = redis.call('ZRANGE', expiries, 0, 0, 'WITHSCORES')
if first[2] then out[#out + 1] = math.max(0, tonumber(first[2]) - snow) else out[#out + 1] = -1 end
return out
`,
);

/**
 * The sweep lease: one store instance per prefix sweeps at a time, so N application processes cost
 * Redis what one does. KEYS: lease. ARGV: token, ms. Takes the lease when free, extends it when this
 * token holds it. Returns 1 when this token holds it now, else the lease's remaining ms.
 */
export const SWEEP_LEASE = new LuaScript(
  'sweep-lease',
  `
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] or not holder then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return -math.max(1, redis.call('PTTL', KEYS[1]))
`,
);

/**
 * KEYS: principal index. ARGV: id, ttl. Adds the id and makes sure the index lives at least ttl ms. An
 * index key of another type is replaced first. Returns 1, or 2 when it replaced one.
 */
export const INDEX_ADD = script(
  'index-add',
  `
local repaired = 0
if foreign(KEYS[1], 'set') then
  redis.call('DEL', KEYS[1])
  repaired = 1
end
redis.call('SADD', KEYS[1], ARGV[1])
local ttl = tonumber(ARGV[2])
if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], num(ttl)) end
return 1 + repaired
`,
);

/**
 * Replaces a bookkeeping key that holds another type than ours (nothing in it is readable as ours).
 * KEYS: key. ARGV: wanted type. Returns 1 when it deleted the key, 0 when the type is right (or the key
 * is gone) by now.
 */
export const REPAIR = new LuaScript(
  'repair',
  `
local t = redis.call('TYPE', KEYS[1]).ok
if t ~= 'none' and t ~= ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
`,
);
