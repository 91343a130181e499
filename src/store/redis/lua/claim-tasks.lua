-- claim-tasks: complete a batch of finished tasks and claim the next ones, in one round trip.
-- Claiming is atomic: pop, mark started, take a lease. Global limits are checked here, so
-- max_concurrent and the rate limit hold across all workers. Expired leases are recovered first,
-- so a crashed worker's tasks stop holding slots without waiting for a cleaner run.
-- KEYS: 1 tasks 2 ready 3 wake 4 leases 5 rate 6 results 7 errors 8 done-prefix ("P:{q}:done:")
-- ARGV: 1 owner  2 lease_ms  3 want  4 max_concurrent (0 = none)  5 rate_count (0 = none)
--       6 rate_period_ms  7 n_complete, then per completion: id, starts, results (msgpack or "")
-- Returns: { completion codes (1 ok, 0 stale: lease lost), claimed {id, record, ...},
--            retry_after_ms (rate limit; 0 = none), recovered count, now }
local k_tasks, k_ready, k_wake, k_leases, k_rate, k_results, k_errors, done_prefix =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8]
local owner, lease_ms, want = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local max_conc, rate_count, rate_period = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local n_complete = tonumber(ARGV[7])
local now = now_ms()
local base = base_of(k_tasks)
local typed = redis.call('HLEN', base .. 'type-limits') > 0

local codes = {}
local freed = false
for i = 0, n_complete - 1 do
  local id, starts, results = ARGV[8 + i * 3], tonumber(ARGV[9 + i * 3]), ARGV[10 + i * 3]
  local blob = redis.call('HGET', k_tasks, id)
  local h = read_header(blob)
  if owns(h, owner, starts) then
    release_type_slot(base, blob, id, now, k_ready, k_wake, typed)
    finish(h, S_COMPLETED, now, done_prefix, id)
    redis.call('HSET', k_tasks, id, write_header(h, blob))
    redis.call('ZREM', k_leases, id)
    if results ~= '' then redis.call('HSET', k_results, id, results) end
    codes[#codes + 1] = 1
    freed = true
  else
    codes[#codes + 1] = 0
  end
end

local recovered = recover_expired(k_tasks, k_ready, k_wake, k_leases, k_errors, done_prefix, now, 20)

local avail = want
local retry_after = 0
if avail > 0 and max_conc > 0 then
  -- The sentinel member sits at +inf (it keeps the set in skiplist encoding); do not count it.
  local running = redis.call('ZCOUNT', k_leases, '(' .. now, '+inf')
  if redis.call('ZSCORE', k_leases, LEASE_SENTINEL) then running = running - 1 end
  if max_conc - running < avail then avail = max_conc - running end
end
if avail > 0 and rate_count > 0 then
  redis.call('ZREMRANGEBYSCORE', k_rate, '-inf', now - rate_period)
  local used = redis.call('ZCARD', k_rate)
  if rate_count - used < avail then avail = rate_count - used end
  if avail <= 0 then
    local oldest = redis.call('ZRANGE', k_rate, 0, 0, 'WITHSCORES')
    retry_after = math.max(1, tonumber(oldest[2]) + rate_period - now + 1)
  end
end

local claimed = {}
local deadline = now + lease_ms
while avail > 0 do
  local id = redis.call('RPOP', k_ready)
  if not id then break end
  local blob = redis.call('HGET', k_tasks, id)
  local h = read_header(blob)
  local parked = false
  if typed and h and h.status == S_SUBMITTED then
    local typ, lim = type_limit(base, blob)
    if lim then
      if type_running(base, typ, now) >= lim then
        -- Saturated type: park it (FIFO per type) until one of its tasks stops running.
        redis.call('LPUSH', base .. 'parked:' .. typ, id)
        parked = true
      else
        redis.call('ZADD', base .. 'tleases:' .. typ, deadline, id)
      end
    end
  end
  -- Anything but a submitted record is a leftover (e.g. pruned); skip it without claiming.
  if h and h.status == S_SUBMITTED and not parked then
    h.status = S_STARTED
    h.starts = h.starts + 1
    h.owner = owner
    h.attempt_started = now
    h.heartbeat = now
    if h.started == 0 then h.started = now end
    local updated = write_header(h, blob)
    redis.call('HSET', k_tasks, id, updated)
    redis.call('ZADD', k_leases, deadline, id)
    if rate_count > 0 then redis.call('ZADD', k_rate, now, id .. h.starts) end
    claimed[#claimed + 1] = id
    claimed[#claimed + 1] = updated
    avail = avail - 1
  end
end

if #claimed > 0 then redis.call('ZADD', k_leases, 'NX', '+inf', LEASE_SENTINEL) end

-- Leave a wake marker when work remains that another idle worker could take now.
if (#claimed > 0 or freed or recovered > 0) and redis.call('LLEN', k_ready) > 0 then arm_wake(k_wake) end
return { codes, claimed, retry_after, recovered, now }
