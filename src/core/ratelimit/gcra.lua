-- mcp_guard GCRA store step, run atomically by Redis (EVALSHA). The extension
-- hands this script its arguments and decides from its reply
-- (src/core/ratelimit/script.rs): the script only does what must happen
-- inside Redis in one step, the read and the conditional store, with the same
-- integer arithmetic as src/core/ratelimit/gcra.rs, on microseconds.
-- Lua numbers are doubles: every value here stays below 2^53, where doubles
-- are exact integers.
--
-- KEYS[1]  the key's state (its TAT, a decimal integer)
-- ARGV[1]  now in Unix microseconds, or '' for Redis's own clock (TIME)
-- ARGV[2]  emission interval T (µs)     ARGV[3]  tolerance tau = T * limit (µs)
-- ARGV[4]  cost
-- Returns {stored TAT before the hit (0 = none), now, stored (1) or not (0)}.

local now
if ARGV[1] == '' then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000000 + tonumber(t[2])
else
  now = tonumber(ARGV[1])
end
local T = tonumber(ARGV[2])
local tau = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])

local stored = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
local new_tat = math.max(stored, now) + cost * T
if new_tat - tau > now then
  return {stored, now, 0}
end
-- The state is worthless once it has expired: let Redis drop it then.
redis.call('SET', KEYS[1], string.format('%.0f', new_tat), 'PX', math.max(1, math.ceil((new_tat - now) / 1000)))
return {stored, now, 1}
