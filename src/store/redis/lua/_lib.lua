-- Shared helpers, prepended to every script by scripts.ts (so each loaded script stays
-- self-contained inside Redis). Mirrors src/store/redis/record-codec.ts.
--
-- Header: >BBBB H H H I4 d d d d d d d  (70 bytes), then the msgpack body (never touched here).
local HDR_FMT = '>BBBBHHHI4ddddddd'
local HDR_SIZE = 70
local S_SUBMITTED, S_STARTED, S_COMPLETED, S_CANCELLED, S_STALLED, S_FAILED, S_DROPPED, S_SCHEDULED =
  1, 2, 3, 4, 5, 6, 7, 8
local FLAG_STALL_ON_EXPIRY, FLAG_DEAD_LETTER, FLAG_CANCEL_REQUESTED = 1, 2, 4
-- Over 64 bytes, so the lease set never uses the listpack encoding, which is scanned linearly on
-- every add and remove (measurably slower for the small, hot lease sets of busy queues).
local LEASE_SENTINEL = '~lease-sentinel: keeps this sorted set in skiplist encoding for speed, never a task~'
local STATUS_NAMES = { [3] = 'completed', [4] = 'cancelled', [5] = 'stalled', [6] = 'failed', [7] = 'dropped' }

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- Returns a table with the header fields, or nil when the record is missing.
local function read_header(blob)
  if not blob then return nil end
  local h = {}
  h.fmt, h.status, h.flags, h.res, h.attempt, h.max_retries, h.starts, h.owner,
  h.created, h.submitted, h.started, h.attempt_started, h.completed, h.heartbeat, h.run_at =
    struct.unpack(HDR_FMT, blob)
  return h
end

local function write_header(h, blob)
  return struct.pack(HDR_FMT, h.fmt, h.status, h.flags, h.res, h.attempt, h.max_retries, h.starts, h.owner,
    h.created, h.submitted, h.started, h.attempt_started, h.completed, h.heartbeat, h.run_at)
    .. string.sub(blob, HDR_SIZE + 1)
end

local function flag_on(flags, flag)
  return math.floor(flags / flag) % 2 == 1
end

local function has_flag(h, flag)
  return flag_on(h.flags, flag)
end

-- Hot-path header access for claim-tasks, which runs two transitions per task: read just the
-- fields a transition checks and rewrite just the bytes it changes, instead of unpacking and
-- repacking all 15 fields (1.2 against 2.0 µs per transition, bench/micro.ts). Positions
-- are 1-based: status 2, flags 3, starts 9-10, owner 11-14, started 31-38, attempt_started 39-46,
-- completed 47-54, heartbeat 55-62.
local function lease_fields(blob) -- status, flags, starts, owner
  local status, flags = struct.unpack('>BB', blob, 2)
  local starts, owner = struct.unpack('>HI4', blob, 9)
  return status, flags, starts, owner
end

-- The record marked completed at `now`, with `flags` (the caller clears the cancel request).
local function completed_record(blob, flags, now)
  return string.sub(blob, 1, 1) .. struct.pack('>BB', S_COMPLETED, flags) .. string.sub(blob, 4, 46)
    .. struct.pack('>d', now) .. string.sub(blob, 55)
end

-- The record marked started by `owner` at `now` as lease number `starts`.
local function started_record(blob, starts, owner, started, now)
  return string.sub(blob, 1, 1) .. string.char(S_STARTED) .. string.sub(blob, 3, 8)
    .. struct.pack('>HI4', starts, owner) .. string.sub(blob, 15, 30)
    .. struct.pack('>dd', started, now) .. string.sub(blob, 47, 54)
    .. struct.pack('>d', now) .. string.sub(blob, 63)
end

-- redis.call(cmd, key, ...) over the elements of `list`, at most 1000 per call: Lua's unpack()
-- fails beyond about 8,000 values, and a bulk submission or a large claim can carry more. Pairs
-- (field, value / score, member) stay together: 1000 is even. Returns the first call's reply.
local function call_spread(cmd, key, list)
  local n, first = #list, nil
  for i = 1, n, 1000 do
    local reply = redis.call(cmd, key, unpack(list, i, math.min(i + 999, n)))
    if i == 1 then first = reply end
  end
  return first
end

-- HMGET of any number of fields, in calls of at most 1000 (see call_spread); false for missing.
local function hmget_spread(key, fields)
  local n = #fields
  if n <= 1000 then return redis.call('HMGET', key, unpack(fields)) end
  local out = {}
  for i = 1, n, 1000 do
    local part = redis.call('HMGET', key, unpack(fields, i, math.min(i + 999, n)))
    for j = 1, #part do out[#out + 1] = part[j] end
  end
  return out
end

-- Keep at most one wake marker: idle workers BLPOP it; a claim that leaves work re-arms it.
local function arm_wake(wake_key)
  if redis.call('LLEN', wake_key) == 0 then redis.call('RPUSH', wake_key, '1') end
end

local function append_error(errors_key, id, attempt, at, message, etype)
  local entry = cmsgpack.pack({ attempt = attempt, at = at, error = message, type = etype })
  redis.call('HSET', errors_key, id, (redis.call('HGET', errors_key, id) or '') .. entry)
end

-- Terminal bookkeeping shared by every transition into a terminal status.
local function finish(h, status, now, done_prefix, id)
  h.status = status
  h.completed = now
  h.flags = h.flags - (has_flag(h, FLAG_CANCEL_REQUESTED) and FLAG_CANCEL_REQUESTED or 0)
  redis.call('ZADD', done_prefix .. STATUS_NAMES[status], now, id)
end

-- A started task is owned by (owner, starts); anything else is a stale or foreign completion.
local function owns(h, owner, starts)
  return h and h.status == S_STARTED and h.owner == owner and h.starts == starts
end

-- Per-type concurrency (TaskOptions.maxConcurrent). Keys hang off the queue's base prefix
-- ("P:{q}:", same hash tag): type-limits HASH "name@version" → limit, tleases:<type> ZSET of
-- running tasks of that type (id → lease deadline), parked:<type> LIST of tasks claimed while
-- their type was saturated, waiting for a slot. A queue without type limits pays one HLEN.
local function base_of(k_tasks)
  return string.sub(k_tasks, 1, -6) -- strip "tasks"
end

-- "name@version" from the msgpack body [name, version, ...] without decoding parameters.
local function read_type(blob)
  local pos = HDR_SIZE + 2 -- skip the array header byte
  local b = string.byte(blob, pos)
  local len
  if b >= 0xa0 and b <= 0xbf then len = b - 0xa0; pos = pos + 1
  elseif b == 0xd9 then len = string.byte(blob, pos + 1); pos = pos + 2
  else return nil end
  local name = string.sub(blob, pos, pos + len - 1)
  pos = pos + len
  local v = string.byte(blob, pos)
  local version
  if v <= 0x7f then version = v
  elseif v == 0xcc then version = string.byte(blob, pos + 1)
  elseif v == 0xcd then version = struct.unpack('>H', blob, pos + 1)
  elseif v == 0xce then version = struct.unpack('>I4', blob, pos + 1)
  else return nil end
  return name .. '@' .. version
end

-- Type limit for a record, or nil when its type (or the queue) has none.
local function type_limit(base, blob)
  if redis.call('HLEN', base .. 'type-limits') == 0 then return nil, nil end
  local typ = read_type(blob)
  if not typ then return nil, nil end
  local lim = redis.call('HGET', base .. 'type-limits', typ)
  return typ, lim and tonumber(lim) or nil
end

local function type_running(base, typ, now)
  return redis.call('ZCOUNT', base .. 'tleases:' .. typ, '(' .. now, '+inf')
end

-- A task of a limited type stopped running: free its slot and release one parked task.
-- `typed` (optional) is the caller's cached "this queue has type limits" answer.
local function release_type_slot(base, blob, id, now, k_ready, k_wake, typed)
  if typed == false then return end
  local typ, lim = type_limit(base, blob)
  if not typ then return end
  redis.call('ZREM', base .. 'tleases:' .. typ, id)
  local parked = base .. 'parked:' .. typ
  if redis.call('LLEN', parked) > 0 and (not lim or type_running(base, typ, now) < lim) then
    -- RPUSH puts it at the claiming end: it keeps its place ahead of newer tasks.
    redis.call('RPUSH', k_ready, redis.call('RPOP', parked))
    arm_wake(k_wake)
  end
end

-- Rate limit log (sliding window): one entry per claim call, "<count>:<id of its first task><starts>"
-- scored by the start time, and a HASH beside it with n (the sum of the counts in the log) and s
-- (when it was last swept), so a claim reads the window's usage with one HMGET instead of counting
-- one member per started task. A sweep drops the entries at or before `cutoff` and subtracts their
-- counts, records `now` as the last sweep when given (a claim's sweep; not the cleaner's, whose
-- cutoff is older than the window), and returns the sum left in the log and the entries removed.
local function sweep_rate_log(k_log, k_meta, cutoff, now)
  local used = tonumber(redis.call('HGET', k_meta, 'n') or '0')
  local expired = redis.call('ZRANGEBYSCORE', k_log, '-inf', cutoff)
  if #expired > 0 then
    for _, m in ipairs(expired) do used = used - (tonumber(string.match(m, '^(%d+):')) or 0) end
    redis.call('ZREMRANGEBYSCORE', k_log, '-inf', cutoff)
  end
  if used < 0 then used = 0 end
  if now then redis.call('HSET', k_meta, 'n', used, 's', now) else redis.call('HSET', k_meta, 'n', used) end
  return used, #expired
end

-- Starts in the window (now - period, now]. Sweeps only when `want` more might exceed `limit`, or
-- when the last sweep is older than period / 8 (which bounds the log to about 1.1 windows of
-- entries); in between, n may still count entries that just left the window, which can only
-- overestimate usage on a claim that is within the limit anyway.
local function rate_window_used(k_log, k_meta, now, period, want, limit)
  local meta = redis.call('HMGET', k_meta, 'n', 's')
  local used, swept = tonumber(meta[1]) or 0, tonumber(meta[2]) or 0
  if used + want <= limit and now - swept < period / 8 then return used end
  return (sweep_rate_log(k_log, k_meta, now - period, now))
end

-- Recover up to `limit` started tasks whose lease deadline passed (their worker died or hung):
-- a cancel request wins; otherwise re-queue while the retry budget lasts (policy "requeue"),
-- else mark stalled. Each recovery is recorded as a failed attempt.
local function recover_expired(k_tasks, k_ready, k_wake, k_leases, k_errors, done_prefix, now, limit)
  local expired = redis.call('ZRANGEBYSCORE', k_leases, '-inf', now, 'LIMIT', 0, limit)
  local n = 0
  for _, id in ipairs(expired) do
    redis.call('ZREM', k_leases, id)
    local blob = redis.call('HGET', k_tasks, id)
    local h = read_header(blob)
    if h and h.status == S_STARTED then
      release_type_slot(base_of(k_tasks), blob, id, now, k_ready, k_wake)
      append_error(k_errors, id, h.attempt, now, 'lease expired: the worker stopped renewing it', 'LeaseExpired')
      if has_flag(h, FLAG_CANCEL_REQUESTED) then
        finish(h, S_CANCELLED, now, done_prefix, id)
      elseif (not has_flag(h, FLAG_STALL_ON_EXPIRY)) and h.attempt < h.max_retries then
        h.status = S_SUBMITTED
        h.attempt = h.attempt + 1
        h.submitted = now
        h.owner = 0
        -- To the claiming end: it was already running, so it does not queue behind the backlog.
        redis.call('RPUSH', k_ready, id)
        arm_wake(k_wake)
      else
        finish(h, S_STALLED, now, done_prefix, id)
      end
      redis.call('HSET', k_tasks, id, write_header(h, blob))
      n = n + 1
    end
  end
  return n
end
