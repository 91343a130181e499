-- expire-stale-leases: Cleaner --stale-time. Expires the lease of every started task whose last
-- heartbeat (or lease renewal) is older than the cutoff, so recovery takes it. Check and write are
-- one step: a lease a live worker took or renewed after the cutoff is never touched.
-- KEYS: 1 tasks 2 leases
-- ARGV: 1 heartbeat cutoff (ms)
-- Returns: number of leases expired
local k_tasks, k_leases = KEYS[1], KEYS[2]
local cutoff = tonumber(ARGV[1])
local n = 0
for _, id in ipairs(redis.call('ZRANGEBYSCORE', k_leases, '-inf', '(+inf')) do
  local h = read_header(redis.call('HGET', k_tasks, id))
  if h and h.status == S_STARTED and h.heartbeat < cutoff then
    redis.call('ZADD', k_leases, 'XX', 0, id)
    n = n + 1
  end
end
return n
