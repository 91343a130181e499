-- prune-terminal: delete tasks that reached a terminal status before a cutoff, with everything
-- that refers to them (record, results, errors, DLQ entry), so nothing is left orphaned.
-- KEYS: 1 done set for one status 2 tasks 3 results 4 errors 5 dlq
-- ARGV: 1 cutoff (ms) 2 limit
-- Returns: number of tasks deleted (call again while it equals limit)
local k_done, k_tasks, k_results, k_errors, k_dlq = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local ids = redis.call('ZRANGEBYSCORE', k_done, '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, id in ipairs(ids) do
  redis.call('HDEL', k_tasks, id)
  redis.call('HDEL', k_results, id)
  redis.call('HDEL', k_errors, id)
  redis.call('ZREM', k_dlq, id)
  redis.call('ZREM', k_done, id)
end
return #ids
