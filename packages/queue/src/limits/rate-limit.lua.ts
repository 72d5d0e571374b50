/**
 * Takes `cost` sends from every window of one tenant, or from none: the windows are checked first and
 * counted only if all of them have room. Each window is a hash of sub-window buckets
 * (bucket number -> sends in it); a bucket counts until its END is a whole window old, so the count
 * never misses a send of the last window (it may include sends up to one bucket older: we defer a
 * little early, never send too many).
 *
 * KEYS[i]: window i's hash. ARGV[1] now (ms), ARGV[2] cost, then per window: windowMs, limit, bucketMs.
 * -> { 1, 0, 0 } taken, or { 0, retryAtMs, i } refused: the earliest time every window has room, and
 *    the window that decided it.
 */
export const TAKE_LUA = `
local now = tonumber(ARGV[1])
local cost = tonumber(ARGV[2])
local retryAt, blockedBy = 0, 0
local plan = {}
for i = 1, #KEYS do
  local base = 3 + (i - 1) * 3
  local windowMs, limit, bucketMs = tonumber(ARGV[base]), tonumber(ARGV[base + 1]), tonumber(ARGV[base + 2])
  local firstLive = math.floor((now - windowMs) / bucketMs)
  local fields = redis.call('HGETALL', KEYS[i])
  local live, used = {}, 0
  for j = 1, #fields, 2 do
    local bucket = tonumber(fields[j])
    if bucket < firstLive then
      redis.call('HDEL', KEYS[i], fields[j])
    else
      local n = tonumber(fields[j + 1])
      live[#live + 1] = { bucket, n }
      used = used + n
    end
  end
  -- an email that costs more than a whole window may hold takes the whole window, once
  local need = math.min(cost, limit)
  if used + need > limit then
    table.sort(live, function(a, b) return a[1] < b[1] end)
    local toFree, freed, at = used + need - limit, 0, now
    for _, e in ipairs(live) do
      freed = freed + e[2]
      if freed >= toFree then
        at = (e[1] + 1) * bucketMs + windowMs
        break
      end
    end
    if at > retryAt then retryAt, blockedBy = at, i end
  end
  plan[i] = { math.floor(now / bucketMs), need, windowMs + bucketMs }
end
if blockedBy > 0 then return { 0, retryAt, blockedBy } end
for i = 1, #KEYS do
  redis.call('HINCRBY', KEYS[i], plan[i][1], plan[i][2])
  redis.call('PEXPIRE', KEYS[i], plan[i][3])
end
return { 1, 0, 0 }
`;
