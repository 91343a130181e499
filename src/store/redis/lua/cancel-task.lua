-- cancel-task: cancel a task in any cancellable state, race-free against claim and promote.
-- submitted → cancelled (removed from the ready list); scheduled → cancelled (removed from the
-- delayed set); started → cancel flag set and the owning worker notified (it acknowledges with
-- finish-task; if it died, lease recovery sees the flag and finishes the task as cancelled).
-- KEYS: 1 tasks 2 ready 3 delayed 4 done-prefix
-- ARGV: 1 id 2 cancel channel 3 id as text (published)
-- Returns: the status code the task had (1, 2 or 8 when cancelled/requested), -1 missing,
--          or the status code + 100 when the task cannot be cancelled.
local k_tasks, k_ready, k_delayed, done_prefix = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local id = ARGV[1]
local blob = redis.call('HGET', k_tasks, id)
local h = read_header(blob)
if not h then return -1 end
local prior = h.status
local now = now_ms()
if prior == S_SUBMITTED then
  if redis.call('LREM', k_ready, 1, id) == 0 then
    local typ = type_limit(base_of(k_tasks), blob)
    if typ then redis.call('LREM', base_of(k_tasks) .. 'parked:' .. typ, 1, id) end
  end
  finish(h, S_CANCELLED, now, done_prefix, id)
elseif prior == S_SCHEDULED then
  redis.call('ZREM', k_delayed, id)
  finish(h, S_CANCELLED, now, done_prefix, id)
elseif prior == S_STARTED then
  if not has_flag(h, FLAG_CANCEL_REQUESTED) then h.flags = h.flags + FLAG_CANCEL_REQUESTED end
  redis.call('PUBLISH', ARGV[2], ARGV[3])
else
  return prior + 100
end
redis.call('HSET', k_tasks, id, write_header(h, blob))
return prior
