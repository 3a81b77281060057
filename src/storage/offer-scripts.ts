/**
 * Lua scripts of the offer store. Each state change and the counter that counts it happen
 * in one script, so the funnel never disagrees with the offers. All keys share the
 * `{namespace}` hash tag, which keeps the scripts legal on Redis Cluster.
 */

/**
 * Creates an order's offers once. KEYS: order offers, stats day, then one offer key per
 * offer. ARGV: decision expiry (unix ms), count, then (fields JSON, expiry ms,
 * "<rule id>|<channel>") per offer. Returns {1, ids JSON} when this call decided, {0, ids JSON} when one had already.
 * The decision key alone makes this once per order: it outlives every offer it lists, so no
 * per-offer claim key is kept; one rule gets at most one offer per channel.
 */
export const ENSURE_OFFERS = `
local existing = redis.call('GET', KEYS[1])
if existing then return {0, existing} end
local n = tonumber(ARGV[2])
local ids = {}
local claimed = {}
for i = 1, n do
  local offerKey = KEYS[2 + i]
  local base = 2 + 3 * (i - 1)
  local fields = cjson.decode(ARGV[base + 1])
  local expireAt, ruleChannel = ARGV[base + 2], ARGV[base + 3]
  if not claimed[ruleChannel] then
    claimed[ruleChannel] = true
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

/**
 * KEYS: offer, coupon → offer index, coupons by expiry; ARGV: code, id, offer id, coupon
 * expiry (unix ms). Records the coupon only on an offer that still exists, and indexes it in
 * the same step: a redemption finds the offer by code, the cleanup finds expired coupons.
 */
export const SET_COUPON = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'couponCode', ARGV[1], 'couponId', ARGV[2])
-- The code index lives exactly as long as the offer it points to.
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then redis.call('SET', KEYS[2], ARGV[3], 'PX', ttl) else redis.call('SET', KEYS[2], ARGV[3]) end
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[3])
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

/**
 * The email memo: records that the mail server accepted an offer's email, once. KEYS: offer,
 * stats day, the customer's pending emails; ARGV: now ISO, Message-ID, expiry ISO counted from
 * now, offer key expiry (unix ms), offer id. A live offer moves issued → shown with its new
 * expiry; one revoked while the email was on its way keeps its state (the email did go).
 * Returns 1 when recorded, 0 when an earlier attempt had (a retry), -1 when the offer is gone.
 */
export const MARK_EMAILED = COUNTER_FN + `
redis.call('HDEL', KEYS[3], ARGV[5])
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
if redis.call('HEXISTS', KEYS[1], 'emailedAt') == 1 then return 0 end
redis.call('HSET', KEYS[1], 'emailedAt', ARGV[1], 'messageId', ARGV[2])
if redis.call('HGET', KEYS[1], 'state') == 'issued' then
  redis.call('HSET', KEYS[1], 'state', 'shown', 'shownAt', ARGV[1], 'expiresAt', ARGV[3])
  redis.call('PEXPIREAT', KEYS[1], ARGV[4])
  redis.call('HINCRBY', KEYS[2], counter(KEYS[1], 'shown'), 1)
end
redis.call('HINCRBY', KEYS[2], counter(KEYS[1], 'emailed'), 1)
return 1
`;

/**
 * Ends an email offer that will not be sent. KEYS: offer, stats day, pending emails; ARGV: new
 * state ('revoked' or 'expired'), reason, now ISO, counter metric, offer id. Only an issued,
 * never-emailed offer changes. Returns 1 when it changed.
 */
export const CLOSE_EMAIL = COUNTER_FN + `
redis.call('HDEL', KEYS[3], ARGV[5])
if redis.call('HGET', KEYS[1], 'state') ~= 'issued' or redis.call('HEXISTS', KEYS[1], 'emailedAt') == 1 then return 0 end
local stamp = 'expiredAt'
if ARGV[1] == 'revoked' then stamp = 'revokedAt' end
redis.call('HSET', KEYS[1], 'state', ARGV[1], 'skipReason', ARGV[2], stamp, ARGV[3])
redis.call('HINCRBY', KEYS[2], counter(KEYS[1], ARGV[4]), 1)
return 1
`;

/**
 * Records that the mail server refused an offer's email for good. KEYS: offer, stats day,
 * pending emails; ARGV: now ISO, SMTP code, offer id. Returns 1 when recorded.
 */
export const FAIL_EMAIL = COUNTER_FN + `
redis.call('HDEL', KEYS[3], ARGV[3])
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('HEXISTS', KEYS[1], 'emailedAt') == 1 or redis.call('HEXISTS', KEYS[1], 'emailFailedAt') == 1 then return 0 end
redis.call('HSET', KEYS[1], 'emailFailedAt', ARGV[1], 'emailError', ARGV[2])
redis.call('HINCRBY', KEYS[2], counter(KEYS[1], 'email_failed'), 1)
return 1
`;

/**
 * Takes a customer's capped email slot for one offer, highest priority first. KEYS: cap key,
 * pending emails, then the offer keys of the competitors the caller saw; ARGV: offer id, now
 * (unix ms), cap (ms), priority, sendAt (unix ms), then the competitors' ids (same order).
 * A competitor is another pending email that is due, before its deadline, and still issued
 * and unsent; one added after the caller looked counts as live. Returns {1, 0} taken (also
 * when this offer already holds it: a retry), {0, ms left} capped, {2, 0} a better due
 * competitor goes first.
 */
export const TAKE_EMAIL_SLOT = `
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then return {1, 0} end
if holder then return {0, redis.call('PTTL', KEYS[1])} end
local now, myPriority, mySendAt = tonumber(ARGV[2]), tonumber(ARGV[4]), tonumber(ARGV[5])
local seen = {}
for i = 3, #KEYS do seen[ARGV[i + 3]] = KEYS[i] end
local pending = redis.call('HGETALL', KEYS[2])
for i = 1, #pending, 2 do
  local id = pending[i]
  local p, at, deadline = string.match(pending[i + 1], '^(-?%d+)|(%d+)|(%d+)$')
  p, at, deadline = tonumber(p), tonumber(at), tonumber(deadline)
  if id ~= ARGV[1] and p then
    local live = deadline >= now
    local key = seen[id]
    if live and key then
      live = redis.call('HGET', key, 'state') == 'issued' and redis.call('HEXISTS', key, 'emailedAt') == 0
        and redis.call('HEXISTS', key, 'emailFailedAt') == 0
    end
    if not live then
      redis.call('HDEL', KEYS[2], id)
    elseif at <= now and (p > myPriority or (p == myPriority and (at < mySendAt or (at == mySendAt and id < ARGV[1])))) then
      return {2, 0}
    end
  end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
return {1, 0}
`;
