import { ADD_SEND_JOB_LUA } from './send-job-lua';

/**
 * The tenant lanes' Redis scripts. Each runs atomically, so two API instances admitting and two
 * workers releasing at the same moment can never put more than K of one tenant's ids into BullMQ.
 *
 * Every script takes the same four keys first (see lane-keys.ts):
 *   KEYS[1] tenants set, KEYS[2] admitted zset (id -> admitted at, ms), KEYS[3] backlog list,
 *   KEYS[4] backlogged set
 * and the same last one: the backlogs index (zset, tenant -> backlog length); ARGV[1] = tenant id.
 * Invariants kept by all of them: a tenant's backlog is not empty only while its admitted set holds
 * K ids (or more, after K was lowered), and the index holds exactly the tenants with a backlog, scored
 * by its length. How long the oldest id has waited is read from the id itself (time-ordered, minted by
 * the API at enqueue), so the hot path keeps no time per id (decision 0061).
 */

/**
 * Moves backlog ids, oldest first, into the free slots; appends them to `out`. `backlogMoved` says the
 * backlog changed in this call: only then does `indexBacklog` spend its two commands on the index.
 */
const PROMOTE = `
local BACKLOGS = KEYS[#KEYS]
local backlogMoved = false

local function promote(k, now, out)
  local free = k - redis.call('ZCARD', KEYS[2])
  while free > 0 do
    local id = redis.call('LPOP', KEYS[3])
    if not id then break end
    redis.call('SREM', KEYS[4], id)
    redis.call('ZADD', KEYS[2], now, id)
    out[#out + 1] = id
    free = free - 1
    backlogMoved = true
  end
  return free
end

local function indexBacklog()
  if not backlogMoved then return end
  local n = redis.call('LLEN', KEYS[3])
  if n > 0 then redis.call('ZADD', BACKLOGS, n, ARGV[1]) else redis.call('ZREM', BACKLOGS, ARGV[1]) end
end

local function forgetTenantIfIdle()
  indexBacklog()
  if redis.call('ZCARD', KEYS[2]) == 0 and redis.call('LLEN', KEYS[3]) == 0 then
    redis.call('SREM', KEYS[1], ARGV[1])
  end
end
`;

/**
 * ARGV: tenantId, K, nowMs, id1, id2, ... -> { admitted ids, backlogged ids }.
 * Free slots go to the backlog first (FIFO across calls), then to the new ids in order. An id that is
 * already admitted is answered as admitted again (the caller re-adds its job; jobId = email id makes
 * that a no-op, and repairs a job that was never added); one already waiting stays where it is.
 */
const ADMIT_BODY = `
local k = tonumber(ARGV[2])
local now = ARGV[3]
local admitted, backlogged, seen = {}, {}, {}
local free = promote(k, now, admitted)
for i = 4, #ARGV do
  local id = ARGV[i]
  if not seen[id] then
    seen[id] = true
    if redis.call('ZSCORE', KEYS[2], id) then
      admitted[#admitted + 1] = id
    elseif redis.call('SISMEMBER', KEYS[4], id) == 1 then
      backlogged[#backlogged + 1] = id
    elseif free > 0 then
      redis.call('ZADD', KEYS[2], now, id)
      admitted[#admitted + 1] = id
      free = free - 1
    else
      redis.call('RPUSH', KEYS[3], id)
      redis.call('SADD', KEYS[4], id)
      backlogged[#backlogged + 1] = id
      backlogMoved = true
    end
  end
end
if #admitted + #backlogged > 0 then redis.call('SADD', KEYS[1], ARGV[1]) end
forgetTenantIfIdle()
`;

export const ADMIT_LUA = `${PROMOTE}${ADMIT_BODY}return { admitted, backlogged }
`;

/**
 * ADMIT_LUA, and the admitted ids' send jobs added in the same step (send-job-lua.ts): one round trip
 * per enqueue, and no admitted id without its job. An id admitted before gets no second job (a
 * "duplicated" event, as BullMQ's add). Keys and arguments after ADMIT_LUA's: as RELEASE_AND_ADD_LUA,
 * KEYS[5..10] (then the last key of every lanes script), then ARGV[4] job key prefix, ARGV[5] job name, ARGV[6] the options' JSON without jobId,
 * and the email ids from ARGV[7] on.
 */
export const ADMIT_AND_ADD_LUA = `${PROMOTE}${ADD_SEND_JOB_LUA}${ADMIT_BODY.replace('for i = 4, #ARGV do', 'for i = 7, #ARGV do')}
for _, a in ipairs(admitted) do addSendJob(ARGV[4], ARGV[5], ARGV[6], ARGV[1], ARGV[3], a) end
return { admitted, backlogged }
`;

/**
 * ARGV: tenantId, K, nowMs, emailId ('' to only fill free slots) -> ids promoted from the backlog.
 * The id leaves the lane wherever it is (admitted, or still waiting: an enqueue that was undone).
 * Releasing an id twice, or one the lane never had, only fills free slots: safe to repeat. With ''
 * it also writes the tenant's entry in the backlogs index again, whatever it was.
 */
const RELEASE_BODY = `
local id = ARGV[4]
if id == '' then
  backlogMoved = true -- the sweep's pass: the index is written again (repairs lanes from before it)
elseif redis.call('ZREM', KEYS[2], id) == 0 and redis.call('SREM', KEYS[4], id) == 1 then
  redis.call('LREM', KEYS[3], 1, id)
  backlogMoved = true
end
local promoted = {}
promote(tonumber(ARGV[2]), ARGV[3], promoted)
`;

export const RELEASE_LUA = `${PROMOTE}${RELEASE_BODY}forgetTenantIfIdle()
return promoted
`;

/**
 * RELEASE_LUA, and the promoted ids' send jobs added in the same step (send-job-lua.ts): one round trip
 * per finished email instead of two, and no moment where an id holds a slot without its job.
 * Extra keys: KEYS[5..10] (wait, meta, id, events, marker, active), before the last key that every
 * lanes script takes. ARGV: as RELEASE_LUA, then
 * ARGV[5] job key prefix, ARGV[6] job name, ARGV[7] the options' JSON without jobId.
 */
export const RELEASE_AND_ADD_LUA = `${PROMOTE}${ADD_SEND_JOB_LUA}${RELEASE_BODY}for _, p in ipairs(promoted) do addSendJob(ARGV[5], ARGV[6], ARGV[7], ARGV[1], ARGV[3], p) end
forgetTenantIfIdle()
return promoted
`;

/**
 * ARGV: tenantId, emailId -> 'backlog' (it was waiting and is gone now), 'admitted' (it holds a slot:
 * its BullMQ job has to be removed before the slot is released) or 'none'.
 */
export const REMOVE_FROM_BACKLOG_LUA = `${PROMOTE}
local id = ARGV[2]
if redis.call('SREM', KEYS[4], id) == 1 then
  redis.call('LREM', KEYS[3], 1, id)
  backlogMoved = true
  forgetTenantIfIdle()
  return 'backlog'
end
if redis.call('ZSCORE', KEYS[2], id) then return 'admitted' end
return 'none'
`;

/**
 * KEYS[1] tenants set; ARGV[1] the lanes' key root -> { tenants, admitted total, backlog total,
 * tenants with a backlog }. Builds each tenant's keys from the root: same hash slot on a Cluster as
 * long as the prefix is tagged.
 */
export const STATS_LUA = `
local tenants = redis.call('SMEMBERS', KEYS[1])
local admitted, backlog, waiting = 0, 0, 0
for _, t in ipairs(tenants) do
  admitted = admitted + redis.call('ZCARD', ARGV[1] .. ':t:' .. t .. ':admitted')
  local n = redis.call('LLEN', ARGV[1] .. ':t:' .. t .. ':backlog')
  backlog = backlog + n
  if n > 0 then waiting = waiting + 1 end
end
return { #tenants, admitted, backlog, waiting }
`;

/**
 * KEYS[1] backlogs index, KEYS[2] the send queue's delayed zset; ARGV[1] the lanes' key root,
 * ARGV[2] how many tenants -> { tenants with a backlog, { tenant, backlog, admitted, delayed,
 * the oldest waiting id ('' if the backlog emptied meanwhile) }... }, the largest backlogs first.
 * O(limit x K): reads the index, never the keyspace. Tenant keys are built from the root, as STATS_LUA.
 */
export const BACKLOGS_LUA = `
local rows = {}
for _, t in ipairs(redis.call('ZREVRANGE', KEYS[1], 0, tonumber(ARGV[2]) - 1)) do
  local lane = ARGV[1] .. ':t:' .. t
  local ids = redis.call('ZRANGE', lane .. ':admitted', 0, -1)
  local delayed = 0
  for _, id in ipairs(ids) do
    if redis.call('ZSCORE', KEYS[2], id) then delayed = delayed + 1 end
  end
  local oldest = redis.call('LINDEX', lane .. ':backlog', 0)
  rows[#rows + 1] = { t, redis.call('LLEN', lane .. ':backlog'), #ids, delayed, oldest or '' }
end
return { redis.call('ZCARD', KEYS[1]), rows }
`;
