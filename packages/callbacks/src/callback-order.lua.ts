/**
 * The Redis scripts that keep one order key's callbacks (one email's) in order. Each runs atomically.
 * Keys: KEYS[1] the pending list (event ids in publication order; the head is the one being
 * delivered), KEYS[2] the set of ids already delivered (so a repeat is not sent again).
 * ARGV[1] is the pending list's TTL in seconds (refreshed on every write; it bounds what a crash can
 * leave behind), ARGV[2] the delivered set's.
 */

/** ARGV[3..]: ids to append, in order, unless delivered or already pending -> the head (or false). */
export const REGISTER_LUA = `
for i = 3, #ARGV do
  local id = ARGV[i]
  if redis.call('SISMEMBER', KEYS[2], id) == 0 and not redis.call('LPOS', KEYS[1], id) then
    redis.call('RPUSH', KEYS[1], id)
  end
end
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return redis.call('LINDEX', KEYS[1], 0)
`;

/**
 * ARGV[3]: the id a worker is about to deliver -> { 'done' } when it was delivered already;
 * otherwise { 'head' | 'wait', head id }. An id that is not pending is appended first (its publisher
 * died between adding the job and registering it, or the job was retried by hand after it was given up).
 */
export const CLAIM_LUA = `
local id = ARGV[3]
if redis.call('SISMEMBER', KEYS[2], id) == 1 then return { 'done' } end
if not redis.call('LPOS', KEYS[1], id) then redis.call('RPUSH', KEYS[1], id) end
redis.call('EXPIRE', KEYS[1], ARGV[1])
local head = redis.call('LINDEX', KEYS[1], 0)
if head == id then return { 'head', head } end
return { 'wait', head }
`;

/**
 * ARGV[3]: an id whose delivery is over, ARGV[4]: '1' if it was delivered (it is then remembered as
 * such), '0' if it was given up -> the next head (or false), whose job the caller promotes.
 */
export const FINISH_LUA = `
local id = ARGV[3]
if redis.call('LINDEX', KEYS[1], 0) == id then redis.call('LPOP', KEYS[1]) else redis.call('LREM', KEYS[1], 1, id) end
if ARGV[4] == '1' then
  redis.call('SADD', KEYS[2], id)
  redis.call('EXPIRE', KEYS[2], ARGV[2])
end
return redis.call('LINDEX', KEYS[1], 0)
`;

/** ARGV[3]: a head whose job no longer exists or already ended -> it leaves, if still the head; the next head (or false). */
export const DROP_HEAD_LUA = `
if redis.call('LINDEX', KEYS[1], 0) == ARGV[3] then redis.call('LPOP', KEYS[1]) end
return redis.call('LINDEX', KEYS[1], 0)
`;
