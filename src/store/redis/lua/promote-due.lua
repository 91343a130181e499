-- promote-due: move scheduled tasks whose run_at has come into the ready list (the Scheduler).
-- One script, so two schedulers at once can never dispatch a task twice, and a crash can never
-- leave a task claimed but not enqueued (spec B15).
-- KEYS: 1 delayed 2 tasks 3 ready 4 wake
-- ARGV: 1 limit
-- Returns: { promoted {id, run_at, record, ...}, next due run_at or -1, now }
local k_delayed, k_tasks, k_ready, k_wake = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local now = now_ms()
local due = redis.call('ZRANGEBYSCORE', k_delayed, '-inf', now, 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[1]))
local out = {}
local pushed = false
for i = 1, #due, 2 do
  local id = due[i]
  redis.call('ZREM', k_delayed, id)
  local blob = redis.call('HGET', k_tasks, id)
  local h = read_header(blob)
  if h and h.status == S_SCHEDULED then
    h.status = S_SUBMITTED
    h.submitted = now
    if h.created == 0 then h.created = now end
    local updated = write_header(h, blob)
    redis.call('HSET', k_tasks, id, updated)
    redis.call('LPUSH', k_ready, id)
    pushed = true
    out[#out + 1] = id
    out[#out + 1] = due[i + 1]
    out[#out + 1] = updated
  end
end
if pushed then arm_wake(k_wake) end
local nxt = redis.call('ZRANGE', k_delayed, 0, 0, 'WITHSCORES')
return { out, nxt[2] or -1, now }
