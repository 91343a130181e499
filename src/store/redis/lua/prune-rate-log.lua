-- prune-rate-log: drop rate-limit log entries at or before a cutoff, keeping the running total
-- in step (see sweep_rate_log in _lib.lua). The cleaner's --rate-limit-age.
-- KEYS: 1 rate log  2 its meta hash (n, s)
-- ARGV: 1 cutoff (ms)
-- Returns: the number of log entries removed.
local _, removed = sweep_rate_log(KEYS[1], KEYS[2], tonumber(ARGV[1]), nil)
return removed
