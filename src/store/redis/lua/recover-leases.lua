-- recover-leases: recover started tasks whose lease expired (worker killed or hung).
-- Also run inside claim-tasks; this standalone form serves the Cleaner and idle queues.
-- KEYS: 1 tasks 2 ready 3 wake 4 leases 5 errors 6 done-prefix
-- ARGV: 1 limit
-- Returns: number of tasks recovered
return recover_expired(KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], now_ms(), tonumber(ARGV[1]))
