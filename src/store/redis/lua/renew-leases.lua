-- renew-leases: extend the leases of tasks a worker is still running (automatic heartbeat).
-- KEYS: 1 tasks  2 leases
-- ARGV: 1 owner, then per task: id, starts, lease_ms
-- Returns: one code per task: 1 renewed, 2 renewed but cancellation requested, 0 lease lost
-- (the task was recovered or finished elsewhere: the worker must stop reporting on it).
local k_tasks, k_leases = KEYS[1], KEYS[2]
local owner = tonumber(ARGV[1])
local now = now_ms()
local out = {}
for i = 2, #ARGV, 3 do
  local id, starts, lease_ms = ARGV[i], tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2])
  local blob = redis.call('HGET', k_tasks, id)
  local h = read_header(blob)
  if owns(h, owner, starts) then
    h.heartbeat = now
    redis.call('HSET', k_tasks, id, write_header(h, blob))
    redis.call('ZADD', k_leases, 'XX', now + lease_ms, id)
    local typ, lim = type_limit(base_of(k_tasks), blob)
    if lim then redis.call('ZADD', base_of(k_tasks) .. 'tleases:' .. typ, 'XX', now + lease_ms, id) end
    out[#out + 1] = has_flag(h, FLAG_CANCEL_REQUESTED) and 2 or 1
  else
    out[#out + 1] = 0
  end
end
return out
