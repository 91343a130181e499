-- submit-tasks: store new tasks of one queue and enqueue them (single and bulk submission).
-- KEYS: 1 tasks  2 ready  3 wake  4 delayed
-- ARGV: 1 schedule channel, then per task: id (16 bytes), record, run_at (ms; 0 = now)
-- Returns: one integer per task: 1 stored, 0 duplicate id (nothing written for it).
-- The record header already says submitted or scheduled (set by the client from run_at).
local k_tasks, k_ready, k_wake, k_delayed = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local was_empty = redis.call('LLEN', k_ready) == 0
local out, pushed, earliest = {}, false, nil
for i = 2, #ARGV, 3 do
  local id, blob, run_at = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2])
  if redis.call('HSETNX', k_tasks, id, blob) == 1 then
    if run_at > 0 then
      redis.call('ZADD', k_delayed, run_at, id)
      if not earliest or run_at < earliest then earliest = run_at end
    else
      redis.call('LPUSH', k_ready, id)
      pushed = true
    end
    out[#out + 1] = 1
  else
    out[#out + 1] = 0
  end
end
if pushed and was_empty then arm_wake(k_wake) end
if earliest then redis.call('PUBLISH', ARGV[1], tostring(earliest)) end
return out
