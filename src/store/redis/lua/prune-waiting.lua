-- prune-waiting: delete waiting (submitted) tasks whose submission time falls in [min, max]
-- (Cleaner --min-queue-age / --max-queue-age). The record goes with the list entry, so no
-- orphaned blob stays behind (spec B24). The list is rebuilt in one pass: O(n), not O(n²).
-- KEYS: 1 ready 2 tasks 3 results 4 errors
-- ARGV: 1 min (ms) 2 max (ms)
-- Returns: number of tasks deleted
local k_ready, k_tasks, k_results, k_errors = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local lo, hi = tonumber(ARGV[1]), tonumber(ARGV[2])
local ids = redis.call('LRANGE', k_ready, 0, -1)
local keep, removed = {}, 0
for _, id in ipairs(ids) do
  local h = read_header(redis.call('HGET', k_tasks, id))
  if h and h.submitted >= lo and h.submitted <= hi then
    redis.call('HDEL', k_tasks, id)
    redis.call('HDEL', k_results, id)
    redis.call('HDEL', k_errors, id)
    removed = removed + 1
  elseif h then
    keep[#keep + 1] = id
  end
end
if removed > 0 or #keep ~= #ids then
  redis.call('DEL', k_ready)
  if #keep > 0 then call_spread('RPUSH', k_ready, keep) end
end
return removed
