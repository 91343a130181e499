-- finish-task: end a started task in a terminal status other than completed:
-- failed (optionally into the DLQ), dropped (unknown task type), cancelled (worker acknowledged a
-- cancel request), stalled (shutdown with policy `stop`).
-- KEYS: 1 tasks 2 leases 3 errors 4 dlq 5 done-prefix
-- ARGV: 1 owner 2 id 3 starts 4 status code 5 error entry (msgpack; "" = none) 6 dead-letter (1/0)
-- Returns: 1 done, 0 stale (lease lost; nothing written)
local k_tasks, k_leases, k_errors, k_dlq, done_prefix = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local owner, id, starts, status = tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local blob = redis.call('HGET', k_tasks, id)
local h = read_header(blob)
if not owns(h, owner, starts) then return 0 end
local now = now_ms()
release_type_slot(base_of(k_tasks), blob, id, now, base_of(k_tasks) .. 'ready', base_of(k_tasks) .. 'wake')
if ARGV[5] ~= '' then
  redis.call('HSET', k_errors, id, (redis.call('HGET', k_errors, id) or '') .. ARGV[5])
end
finish(h, status, now, done_prefix, id)
redis.call('HSET', k_tasks, id, write_header(h, blob))
redis.call('ZREM', k_leases, id)
if status == S_FAILED and ARGV[6] == '1' then redis.call('ZADD', k_dlq, now, id) end
return 1
