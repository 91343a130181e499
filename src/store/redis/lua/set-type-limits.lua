-- set-type-limits: record per-type concurrency limits of a queue (workers write their task
-- definitions' maxConcurrent at start and on config reload), and release parked tasks that a
-- raised or removed limit now allows to run.
-- KEYS: 1 tasks 2 ready 3 wake
-- ARGV: pairs of type ("name@version"), limit (0 = no limit)
-- Returns: number of parked tasks released
local k_tasks, k_ready, k_wake = KEYS[1], KEYS[2], KEYS[3]
local base = base_of(k_tasks)
local now = now_ms()
local released = 0
for i = 1, #ARGV, 2 do
  local typ, lim = ARGV[i], tonumber(ARGV[i + 1])
  if lim > 0 then redis.call('HSET', base .. 'type-limits', typ, lim)
  else redis.call('HDEL', base .. 'type-limits', typ) end
  local parked = base .. 'parked:' .. typ
  local room = lim > 0 and (lim - type_running(base, typ, now)) or redis.call('LLEN', parked)
  while room > 0 do
    local id = redis.call('RPOP', parked)
    if not id then break end
    redis.call('RPUSH', k_ready, id)
    released = released + 1
    room = room - 1
  end
end
if released > 0 then arm_wake(k_wake) end
return released
