-- resubmit-task: an operator sends a failed, stalled, cancelled or dropped task back to its queue
-- (DLQ resubmit, stalled-task resubmit). Error history is kept (spec B23); the retry counter is
-- reset unless asked otherwise.
-- KEYS: 1 tasks 2 ready 3 wake 4 dlq 5 done-prefix
-- ARGV: 1 id 2 reset_retry_count (1/0)
-- Returns: 1 resubmitted, -1 missing, status code + 100 when the status does not allow it
local k_tasks, k_ready, k_wake, k_dlq, done_prefix = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local id = ARGV[1]
local blob = redis.call('HGET', k_tasks, id)
local h = read_header(blob)
if not h then return -1 end
local name = STATUS_NAMES[h.status]
if not name or h.status == S_COMPLETED then return h.status + 100 end
redis.call('ZREM', done_prefix .. name, id)
redis.call('ZREM', k_dlq, id)
local now = now_ms()
h.status = S_SUBMITTED
h.submitted = now
h.completed = 0
h.owner = 0
if ARGV[2] == '1' then h.attempt = 0 end
redis.call('HSET', k_tasks, id, write_header(h, blob))
redis.call('LPUSH', k_ready, id)
arm_wake(k_wake)
return 1
