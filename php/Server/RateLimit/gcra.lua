-- mcp_guard GCRA step, run atomically by Redis (EVALSHA).
-- The same integer arithmetic as src/core/ratelimit/gcra.rs, on microseconds.
-- Lua numbers are doubles: every value here stays below 2^53, where doubles
-- are exact integers; divisions are floored and corrected to stay exact.
--
-- KEYS[1]  the key's state (its TAT, a decimal integer)
-- ARGV[1]  now in Unix microseconds, or '' for Redis's own clock (TIME)
-- ARGV[2]  emission interval T (µs)     ARGV[3]  tolerance tau = T * limit (µs)
-- ARGV[4]  cost
-- Returns {allowed (1|0), remaining, retry_after_us, reset_after_us}.

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

local function idiv(a, b)
  local q = math.floor(a / b)
  if q * b > a then q = q - 1 elseif (q + 1) * b <= a then q = q + 1 end
  return q
end

local stored = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
local tat = math.max(stored, now)
local new_tat = tat + cost * T
local allow_at = new_tat - tau

if now < allow_at then
  local used = tat - now
  return {0, idiv(math.max(tau - used, 0), T), allow_at - now, used}
end

local used = new_tat - now
-- The state is worthless once it has expired: let Redis drop it then.
redis.call('SET', KEYS[1], string.format('%.0f', new_tat), 'PX', math.max(1, math.ceil(used / 1000)))
return {1, idiv(math.max(tau - used, 0), T), 0, used}
