-- claim-tasks: complete a batch of finished tasks and claim the next ones, in one round trip.
-- Claiming is atomic: pop, mark started, take a lease. Global limits are checked here, so
-- max_concurrent and the rate limit hold across all workers. Expired leases are recovered first,
-- so a crashed worker's tasks stop holding slots without waiting for a cleaner run.
-- KEYS: 1 tasks ("P:{q}:tasks"); the queue's other keys are named from it, as in keys.ts (this is
--       the hottest call of a busy worker: every key passed costs the client and Redis a
--       conversion per call, and all of a queue's keys share its hash tag anyway)
-- ARGV: 1 owner  2 lease_ms  3 want  4 max_concurrent (0 = none)  5 rate_count (0 = none)
--       6 rate_period_ms  7 completions (record-codec.ts encodeCompletions), per task: id (16
--       bytes), starts (big-endian uint16), results length (big-endian uint32), results (msgpack)
-- Returns: { completion codes (1 ok, 0 stale: lease lost), claimed {id, record, ...},
--            retry_after_ms (rate limit; 0 = none), recovered count, now }
local k_tasks = KEYS[1]
local base = base_of(k_tasks)
local k_ready, k_wake, k_leases, k_rate, k_rate_meta = base .. 'ready', base .. 'wake', base .. 'leases',
  base .. 'ratelog', base .. 'ratelog:meta'
local k_results, k_errors, done_prefix = base .. 'results', base .. 'errors', base .. 'done:'
local owner, lease_ms, want = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local max_conc, rate_count, rate_period = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
-- Split the completions before writing anything: a malformed batch is refused whole.
local completions = ARGV[7]
local ids, starts_of, results_of = {}, {}, {}
local pos, size = 1, #completions
while pos <= size do
  if pos + 21 > size then return redis.error_reply('ERR claim-tasks: truncated completions') end
  local n = #ids + 1
  local len
  ids[n] = string.sub(completions, pos, pos + 15)
  starts_of[n], len = struct.unpack('>HI4', completions, pos + 16)
  if pos + 21 + len > size then return redis.error_reply('ERR claim-tasks: truncated completions') end
  results_of[n] = len > 0 and string.sub(completions, pos + 22, pos + 21 + len)
  pos = pos + 22 + len
end
local now = now_ms()
local typed = redis.call('HLEN', base .. 'type-limits') > 0

-- Completions. Each redis.call costs about as much as the work it does, so the records are read
-- with one HMGET and written back with one HSET, ZADD and ZREM for the whole batch.
local codes = {}
local freed = false
if #ids > 0 then
  local blobs = hmget_spread(k_tasks, ids)
  local records, done, leases, results, seen = {}, {}, {}, {}, {}
  for i, id in ipairs(ids) do
    local blob = blobs[i]
    local status, flags, h_starts, h_owner
    if blob and not seen[id] then status, flags, h_starts, h_owner = lease_fields(blob) end
    if status == S_STARTED and h_owner == owner and h_starts == starts_of[i] then
      seen[id] = true
      -- As finish() in _lib.lua, on the bytes: completed now, any cancel request cleared.
      if flag_on(flags, FLAG_CANCEL_REQUESTED) then flags = flags - FLAG_CANCEL_REQUESTED end
      release_type_slot(base, blob, id, now, k_ready, k_wake, typed)
      records[#records + 1] = id
      records[#records + 1] = completed_record(blob, flags, now)
      done[#done + 1] = now
      done[#done + 1] = id
      leases[#leases + 1] = id
      if results_of[i] then
        results[#results + 1] = id
        results[#results + 1] = results_of[i]
      end
      codes[i] = 1
      freed = true
    else
      codes[i] = 0
    end
  end
  if #records > 0 then
    call_spread('HSET', k_tasks, records)
    call_spread('ZADD', done_prefix .. 'completed', done)
    call_spread('ZREM', k_leases, leases)
    if #results > 0 then call_spread('HSET', k_results, results) end
  end
end

local recovered = recover_expired(k_tasks, k_ready, k_wake, k_leases, k_errors, done_prefix, now, 20)

local avail = want
local retry_after = 0
local has_sentinel = false
if avail > 0 and max_conc > 0 then
  -- The sentinel member sits at +inf (it keeps the set in skiplist encoding); do not count it.
  local running = redis.call('ZCOUNT', k_leases, '(' .. now, '+inf')
  has_sentinel = redis.call('ZSCORE', k_leases, LEASE_SENTINEL)
  if has_sentinel then running = running - 1 end
  if max_conc - running < avail then avail = max_conc - running end
end
local conc_avail = avail
if avail > 0 and rate_count > 0 then
  local used = rate_window_used(k_rate, k_rate_meta, now, rate_period, avail, rate_count)
  if rate_count - used < avail then avail = rate_count - used end
  if avail <= 0 then
    local oldest = redis.call('ZRANGE', k_rate, 0, 0, 'WITHSCORES')
    if oldest[2] then
      retry_after = math.max(1, tonumber(oldest[2]) + rate_period - now + 1)
    else
      -- A total without a log (the log was deleted by hand): nothing is in the window.
      redis.call('DEL', k_rate_meta)
      avail = math.min(conc_avail, rate_count)
    end
  end
end

-- Claims, batched like the completions: pop up to `avail` ids at once, read their records with one
-- HMGET, write the started records and the leases with one HSET and one ZADD per round.
local claimed = {}
local deadline = now + lease_ms
local rate_member = nil
local seen = {}
while avail > 0 do
  local ids = redis.call('RPOP', k_ready, math.min(avail, 1000))
  if not ids then break end
  local blobs = redis.call('HMGET', k_tasks, unpack(ids))
  local records, leases = {}, {}
  for i, id in ipairs(ids) do
    local blob = blobs[i]
    local status = blob and not seen[id] and string.byte(blob, 2)
    local parked = false
    if typed and status == S_SUBMITTED then
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
    if status == S_SUBMITTED and not parked then
      seen[id] = true
      local starts = struct.unpack('>H', blob, 9) + 1
      local started = struct.unpack('>d', blob, 31)
      local updated = started_record(blob, starts, owner, started == 0 and now or started, now)
      records[#records + 1] = id
      records[#records + 1] = updated
      leases[#leases + 1] = deadline
      leases[#leases + 1] = id
      if rate_count > 0 and not rate_member then rate_member = id .. starts end
      claimed[#claimed + 1] = id
      claimed[#claimed + 1] = updated
      avail = avail - 1
    end
  end
  if #records > 0 then
    call_spread('HSET', k_tasks, records)
    call_spread('ZADD', k_leases, leases)
  end
end

if #claimed > 0 and not has_sentinel then redis.call('ZADD', k_leases, 'NX', '+inf', LEASE_SENTINEL) end
if rate_member then
  -- All tasks of this call started at `now`: one log entry counts them all (see sweep_rate_log).
  local n = #claimed / 2
  redis.call('ZADD', k_rate, now, n .. ':' .. rate_member)
  redis.call('HINCRBY', k_rate_meta, 'n', n)
end

-- Leave a wake marker when work remains that another idle worker could take now.
if (#claimed > 0 or freed or recovered > 0) and redis.call('LLEN', k_ready) > 0 then arm_wake(k_wake) end
return { codes, claimed, retry_after, recovered, now }
