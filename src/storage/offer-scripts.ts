/**
 * Lua scripts of the offer store. Each state change and the counter that counts it happen
 * in one script, so the funnel never disagrees with the offers. All keys share the
 * `{namespace}` hash tag, which keeps the scripts legal on Redis Cluster.
 */

/**
 * Creates an order's offers once. KEYS: order offers, stats day, then (claim, offer) per
 * offer. ARGV: decision expiry (unix ms), count, then (fields JSON, expiry ms,
 * "<rule id>|<channel>") per offer. Returns {1, ids JSON} when this call decided, {0, ids JSON} when one had already.
 */
export const ENSURE_OFFERS = `
local existing = redis.call('GET', KEYS[1])
if existing then return {0, existing} end
local n = tonumber(ARGV[2])
local ids = {}
for i = 1, n do
  local claimKey, offerKey = KEYS[1 + 2 * i], KEYS[2 + 2 * i]
  local base = 2 + 3 * (i - 1)
  local fields = cjson.decode(ARGV[base + 1])
  local expireAt, ruleChannel = ARGV[base + 2], ARGV[base + 3]
  if redis.call('SET', claimKey, fields.id, 'NX', 'PXAT', expireAt) then
    local flat = {}
    for k, v in pairs(fields) do flat[#flat + 1] = k; flat[#flat + 1] = v end
    redis.call('HSET', offerKey, unpack(flat))
    redis.call('PEXPIREAT', offerKey, expireAt)
    redis.call('HINCRBY', KEYS[2], ruleChannel .. '|issued', 1)
    ids[#ids + 1] = fields.id
  end
end
local list = '[]'
if #ids > 0 then list = cjson.encode(ids) end
redis.call('SET', KEYS[1], list, 'PXAT', ARGV[1])
return {1, list}
`;

/** Lua: the funnel counter field of an offer, `<rule id>|<channel>|<metric>`. */
export const COUNTER_FN = `
local function counter(offerKey, metric)
  local f = redis.call('HMGET', offerKey, 'ruleId', 'channel')
  return f[1] .. '|' .. (f[2] or 'thank_you') .. '|' .. metric
end
`;

/** KEYS: stats day, offer keys…; ARGV: now ISO. issued → shown. Returns how many changed. */
export const MARK_SHOWN = COUNTER_FN + `
local changed = 0
for i = 2, #KEYS do
  if redis.call('HGET', KEYS[i], 'state') == 'issued' then
    redis.call('HSET', KEYS[i], 'state', 'shown', 'shownAt', ARGV[1])
    redis.call('HINCRBY', KEYS[1], counter(KEYS[i], 'shown'), 1)
    changed = changed + 1
  end
end
return changed
`;

/**
 * KEYS: offer, stats day; ARGV: now ISO. Counts every open; the first one moves issued or
 * shown to clicked and counts in the funnel. Returns the state after, or false if unknown.
 */
export const RECORD_CLICK = COUNTER_FN + `
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return false end
redis.call('HINCRBY', KEYS[1], 'clicks', 1)
if state == 'issued' or state == 'shown' then
  redis.call('HSET', KEYS[1], 'state', 'clicked', 'clickedAt', ARGV[1])
  redis.call('HINCRBY', KEYS[2], counter(KEYS[1], 'clicked'), 1)
  return 'clicked'
end
return state
`;

/** KEYS: offer; ARGV: code, id. Records the coupon only on an offer that still exists. */
export const SET_COUPON = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'couponCode', ARGV[1], 'couponId', ARGV[2])
return 1
`;

/**
 * KEYS: order offers, stats day, offer keys…; ARGV: expected ids JSON ('' when none yet),
 * now ISO, expiry ms for a first decision. Revokes every open offer of the order; an order
 * revoked before any decision gets an empty one, so it is never offered later. Returns the
 * number revoked, or -1 when the decision changed since it was read (the caller re-reads).
 */
export const REVOKE_ORDER = COUNTER_FN + `
local current = redis.call('GET', KEYS[1])
if (current or '') ~= ARGV[1] then return -1 end
if not current then redis.call('SET', KEYS[1], '[]', 'PXAT', ARGV[3]) end
local revoked = 0
for i = 3, #KEYS do
  local state = redis.call('HGET', KEYS[i], 'state')
  if state == 'issued' or state == 'shown' or state == 'clicked' then
    redis.call('HSET', KEYS[i], 'state', 'revoked', 'revokedAt', ARGV[2])
    redis.call('HINCRBY', KEYS[2], counter(KEYS[i], 'revoked'), 1)
    revoked = revoked + 1
  end
end
return revoked
`;

/** KEYS: offer, stats day. Counts an automated open (`scanned`) and changes nothing else. */
export const RECORD_SCAN = COUNTER_FN + `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HINCRBY', KEYS[2], counter(KEYS[1], 'scanned'), 1)
return 1
`;
