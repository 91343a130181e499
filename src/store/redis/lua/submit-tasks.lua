-- submit-tasks: store new tasks of one queue and enqueue them (single and bulk submission).
-- KEYS: 1 tasks ("P:{q}:tasks"); ready, wake and delayed are named from it, as in keys.ts (one
--       key per call instead of four: a single submission is a hot path)
-- ARGV: 1 schedule channel
--       2 the batch (record-codec.ts encodeSubmission), per task: id (16 bytes), run_at
--         (big-endian double, ms; 0 = now), record length (big-endian uint32), record
-- Returns: one integer per task: 1 stored, 0 duplicate id (nothing written for it).
-- The record header already says submitted or scheduled (set by the client from run_at).
local k_tasks = KEYS[1]
local base = base_of(k_tasks)
local k_ready, k_wake, k_delayed = base .. 'ready', base .. 'wake', base .. 'delayed'
-- Split the batch before writing anything: a malformed one is refused whole.
local batch = ARGV[2]
local ids, run_ats, blobs = {}, {}, {}
local pos, size = 1, #batch
while pos <= size do
  if pos + 27 > size then return redis.error_reply('ERR submit-tasks: truncated batch') end
  local n = #ids + 1
  local len
  ids[n] = string.sub(batch, pos, pos + 15)
  run_ats[n], len = struct.unpack('>dI4', batch, pos + 16)
  if pos + 27 + len > size then return redis.error_reply('ERR submit-tasks: truncated batch') end
  blobs[n] = string.sub(batch, pos + 28, pos + 27 + len)
  pos = pos + 28 + len
end

local out, ready, earliest = {}, {}, nil
for i, id in ipairs(ids) do
  local run_at = run_ats[i]
  if redis.call('HSETNX', k_tasks, id, blobs[i]) == 1 then
    if run_at > 0 then
      redis.call('ZADD', k_delayed, run_at, id)
      if not earliest or run_at < earliest then earliest = run_at end
    else
      ready[#ready + 1] = id
    end
    out[#out + 1] = 1
  else
    out[#out + 1] = 0
  end
end
-- One LPUSH per 1000 tasks (same order as one per task); the first one's reply, the new length,
-- tells whether the list was empty, when idle workers need the wake marker.
if #ready > 0 and call_spread('LPUSH', k_ready, ready) == math.min(#ready, 1000) then arm_wake(k_wake) end
if earliest then redis.call('PUBLISH', ARGV[1], string.format('%.0f', earliest)) end
return out
