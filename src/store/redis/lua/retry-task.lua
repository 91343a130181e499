-- retry-task: put a started task back in line, immediately or at run_at.
-- Used for retries after an expected error or a timeout (attempt consumed) and for the
-- `resubmit` shutdown policy (no attempt consumed).
-- KEYS: 1 tasks 2 ready 3 wake 4 delayed 5 leases 6 errors
-- ARGV: 1 owner 2 id 3 starts 4 run_at (ms; -1 = straight back to the ready list; otherwise the
--       task waits in the delayed set for the scheduler, even when run_at has passed) 5 consume_attempt (1/0)
--       6 error entry (msgpack; "" = none) 7 schedule channel
-- Returns: 1 done, 0 stale (lease lost), -1 cancellation requested (caller must finish as cancelled)
local k_tasks, k_ready, k_wake, k_delayed, k_leases, k_errors = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local owner, id, starts, run_at = tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local blob = redis.call('HGET', k_tasks, id)
local h = read_header(blob)
if not owns(h, owner, starts) then return 0 end
if has_flag(h, FLAG_CANCEL_REQUESTED) then return -1 end
local now = now_ms()
release_type_slot(base_of(k_tasks), blob, id, now, k_ready, k_wake)
if ARGV[6] ~= '' then
  redis.call('HSET', k_errors, id, (redis.call('HGET', k_errors, id) or '') .. ARGV[6])
end
if ARGV[5] == '1' then h.attempt = h.attempt + 1 end
h.owner = 0
redis.call('ZREM', k_leases, id)
if run_at >= 0 then
  h.status = S_SCHEDULED
  h.run_at = run_at
  redis.call('ZADD', k_delayed, run_at, id)
  redis.call('PUBLISH', ARGV[7], tostring(run_at))
else
  h.status = S_SUBMITTED
  h.submitted = now
  -- A retry after an error joins the back of the line; a task handed back by a shutting-down
  -- worker (no attempt used) goes to the front, since it was already running.
  if ARGV[5] == '1' then redis.call('LPUSH', k_ready, id) else redis.call('RPUSH', k_ready, id) end
  arm_wake(k_wake)
end
redis.call('HSET', k_tasks, id, write_header(h, blob))
return 1
