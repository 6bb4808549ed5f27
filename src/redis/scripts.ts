/*
 * Lua scripts run atomically by Redis. Times are the callers' clock (ARGV), never Redis' own, so
 * processes on one scaled or virtual timeline share minutes. Window entries are sorted-set
 * members `id|amount` scored by their start; concurrency leases are members scored by expiry.
 * Numbers go back as strings: Redis truncates Lua numbers to integers.
 */

/**
 * KEYS: leases, then the requests, tokens, input and output windows, then the concurrency
 * allowance (a number from 1 to `concurrency`, backed off on 429s; missing: all of it).
 * ARGV: now, windowMs, id, leaseMs, concurrency, the four limits (0: none), the four amounts
 * (at most their limit, as the caller will name them in release).
 * Returns { 'ok' } when granted, { 'busy', retryMs } when every slot is taken (retryMs: when
 * the first lease expires), { 'wait', waitMs } when a window is full.
 */
export const acquireScript = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local id = ARGV[3]
local leaseMs = tonumber(ARGV[4])
local concurrency = tonumber(ARGV[5])
if concurrency > 0 then
  local allowed = math.min(concurrency, tonumber(redis.call('GET', KEYS[6]) or concurrency))
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
  if redis.call('ZCARD', KEYS[1]) >= math.max(1, math.floor(allowed)) then
    local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
    return { 'busy', tostring(tonumber(first[2]) - now) }
  end
end
local wait = 0
local amounts = {}
for d = 1, 4 do
  local limit = tonumber(ARGV[5 + d])
  if limit > 0 then
    local amount = tonumber(ARGV[9 + d])
    amounts[d] = ARGV[9 + d]
    local key = KEYS[1 + d]
    redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
    local entries = redis.call('ZRANGE', key, 0, -1, 'WITHSCORES')
    local used = 0
    for i = 1, #entries, 2 do
      used = used + tonumber(string.match(entries[i], '|([^|]*)$'))
    end
    local excess = used + amount - limit
    if excess > 1e-9 then
      local until_ms = window
      for i = 1, #entries, 2 do
        excess = excess - tonumber(string.match(entries[i], '|([^|]*)$'))
        if excess <= 1e-9 then
          until_ms = tonumber(entries[i + 1]) + window - now
          break
        end
      end
      if until_ms > wait then wait = until_ms end
    end
  end
end
if wait > 0 then return { 'wait', tostring(wait) } end
if concurrency > 0 then redis.call('ZADD', KEYS[1], now + leaseMs, id) end
for d = 1, 4 do
  if amounts[d] ~= nil then
    redis.call('ZADD', KEYS[1 + d], now, id .. '|' .. amounts[d])
    redis.call('EXPIRE', KEYS[1 + d], 86400)
  end
end
if concurrency > 0 then redis.call('EXPIRE', KEYS[1], 86400) end
return { 'ok' }
`;

/**
 * KEYS: as for acquire. ARGV: id, startedAt, then for each of the four windows the amount
 * reserved and the amount to keep instead (-1 keeps the window as it is; 'x' removes it), then
 * how the call ended (`ok`, `rate-limited`, `error`, or `none` for a call that never started) and
 * the model's concurrency (0: none). As in one process, a 429 halves the concurrency allowance
 * every process shares (to no less than 1) and a success grows it by 1 / allowance, up to
 * `concurrency`.
 */
export const releaseScript = `
local id = ARGV[1]
local startedAt = tonumber(ARGV[2])
redis.call('ZREM', KEYS[1], id)
for d = 1, 4 do
  local reserved = ARGV[1 + 2 * d]
  local kept = ARGV[2 + 2 * d]
  if kept ~= '-1' then
    local removed = redis.call('ZREM', KEYS[1 + d], id .. '|' .. reserved)
    if removed == 1 and kept ~= 'x' then
      redis.call('ZADD', KEYS[1 + d], startedAt, id .. '|' .. kept)
    end
  end
end
local outcome = ARGV[11]
local concurrency = tonumber(ARGV[12])
if concurrency > 0 and (outcome == 'ok' or outcome == 'rate-limited') then
  local allowed = math.min(concurrency, tonumber(redis.call('GET', KEYS[6]) or concurrency))
  if outcome == 'rate-limited' then
    allowed = math.max(1, allowed / 2)
  else
    allowed = math.min(concurrency, allowed + 1 / allowed)
  end
  if allowed >= concurrency then
    redis.call('DEL', KEYS[6])
  else
    redis.call('SET', KEYS[6], tostring(allowed), 'EX', 86400)
  end
end
return 1
`;

/**
 * KEYS: the four windows. ARGV: id, startedAt, the four amounts. Moves a call's start to when it
 * really started (`startedAt`, read after the grant came back): a process that lagged between
 * reading its clock and the grant would otherwise leave the window early.
 */
export const restampScript = `
for d = 1, 4 do
  if ARGV[2 + d] ~= '0' then
    redis.call('ZADD', KEYS[d], 'XX', 'GT', ARGV[2], ARGV[1] .. '|' .. ARGV[2 + d])
  end
end
return 1
`;

/** KEYS: leases. ARGV: id, expiresAt. Extends a live call's lease. */
export const renewScript = `
return redis.call('ZADD', KEYS[1], 'XX', ARGV[2], ARGV[1])
`;

/**
 * KEYS: the budget's hash (spent) and its reservations (members `id|amount` scored by expiry).
 * ARGV: now, maxUsd, id, amountUsd, expiresAt. Returns 1 when reserved, 0 when it does not fit.
 */
export const reserveBudgetScript = `
local now = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
local spent = tonumber(redis.call('HGET', KEYS[1], 'spent') or '0')
local reserved = 0
for _, member in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
  reserved = reserved + tonumber(string.match(member, '|([^|]*)$'))
end
if spent + reserved + tonumber(ARGV[4]) > tonumber(ARGV[2]) + 1e-12 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[5], ARGV[3] .. '|' .. ARGV[4])
redis.call('EXPIRE', KEYS[1], 86400)
redis.call('EXPIRE', KEYS[2], 86400)
return 1
`;

/** KEYS: as for reserve. ARGV: id, amountUsd reserved, actualUsd. */
export const settleBudgetScript = `
redis.call('ZREM', KEYS[2], ARGV[1] .. '|' .. ARGV[2])
redis.call('HINCRBYFLOAT', KEYS[1], 'spent', ARGV[3])
return 1
`;

/** KEYS: as for reserve. ARGV: now. Returns { spent, reserved } as strings. */
export const readBudgetScript = `
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', tonumber(ARGV[1]))
local spent = tonumber(redis.call('HGET', KEYS[1], 'spent') or '0')
local reserved = 0
for _, member in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
  reserved = reserved + tonumber(string.match(member, '|([^|]*)$'))
end
return { tostring(spent), tostring(reserved) }
`;
