import { EXTEND_TO_FN } from './customer-record';

/**
 * Lua scripts of the offer store. Each state change and the counter that counts it happen
 * in one script, so the funnel never disagrees with the offers. All keys share the
 * `{namespace}` hash tag, which keeps the scripts legal on Redis Cluster. The scripts that
 * change an offer's state take the all-time totals (`keys.offerTotals`) as their last key.
 */

/**
 * Creates an order's offers once. KEYS: order offers (decision and claims, one hash), stats
 * day, then the offer key per offer, then the customer exposures per exposure, totals. ARGV:
 * decision expiry (unix ms), count, then (offer id, fields JSON, expiry ms, "<rule id>|<channel>")
 * per offer. A rule and channel is claimed per order with HSETNX on the order hash, so a second
 * offer for it is refused even within one decision. Returns {1, ids JSON} when this call
 * decided, {0, ids JSON} when one had already.
 */
export const ENSURE_OFFERS = EXTEND_TO_FN + `
local existing = redis.call('HGET', KEYS[1], 'ids')
if existing then return {0, existing} end
local n = tonumber(ARGV[2])
local ids = {}
local keepUntil = ARGV[1]
for i = 1, n do
  local offerKey = KEYS[2 + i]
  local base = 2 + 4 * (i - 1)
  local id, fields = ARGV[base + 1], cjson.decode(ARGV[base + 2])
  local expireAt, ruleChannel = ARGV[base + 3], ARGV[base + 4]
  if redis.call('HSETNX', KEYS[1], ruleChannel, id) == 1 then
    local flat = {}
    for k, v in pairs(fields) do flat[#flat + 1] = k; flat[#flat + 1] = v end
    redis.call('HSET', offerKey, unpack(flat))
    redis.call('PEXPIREAT', offerKey, expireAt)
    redis.call('HINCRBY', KEYS[2], ruleChannel .. '|issued', 1)
    redis.call('HINCRBY', KEYS[#KEYS], 'issued', 1)
    ids[#ids + 1] = id
  end
end
-- Holdout exposures of the same decision (see lift-store): after the offers, KEYS hold the
-- customer exposures per exposure and ARGV the count, then (claim field, claim expiry ms,
-- counter field, pending field, pending value, pending TTL ms) per exposure. The claim is a
-- field of KEYS[1]; the exposure's day is KEYS[2]'s.
local kx, ax = 2 + n, 3 + 4 * n
for j = 1, tonumber(ARGV[ax] or '0') do
  local pendingKey = KEYS[kx + j]
  local b = ax + 1 + 6 * (j - 1)
  if redis.call('HSETNX', KEYS[1], ARGV[b], '1') == 1 then
    if tonumber(ARGV[b + 1]) > tonumber(keepUntil) then keepUntil = ARGV[b + 1] end
    redis.call('HINCRBY', KEYS[2], ARGV[b + 2], 1)
    redis.call('HSET', pendingKey, ARGV[b + 3], ARGV[b + 4])
    extendTo(pendingKey, ARGV[b + 5])
  end
end
local list = '[]'
if #ids > 0 then list = cjson.encode(ids) end
redis.call('HSET', KEYS[1], 'ids', list)
-- The claims live as long as the longest of the decision and the exposure windows.
redis.call('PEXPIREAT', KEYS[1], keepUntil)
return {1, list}
`;

/** Lua: the funnel counter field of an offer, `<rule id>|<channel>|<metric>`. */
export const COUNTER_FN = `
local function counter(offerKey, metric)
  local f = redis.call('HMGET', offerKey, 'ruleId', 'channel')
  return f[1] .. '|' .. (f[2] or 'thank_you') .. '|' .. metric
end
`;

/** KEYS: stats day, offer keys…, totals; ARGV: now (unix ms). issued → shown. Returns how many changed. */
export const MARK_SHOWN = COUNTER_FN + `
local changed = 0
for i = 2, #KEYS - 1 do
  if redis.call('HGET', KEYS[i], 'state') == 'issued' then
    redis.call('HSET', KEYS[i], 'state', 'shown', 'shownAt', ARGV[1])
    redis.call('HINCRBY', KEYS[1], counter(KEYS[i], 'shown'), 1)
    redis.call('HINCRBY', KEYS[#KEYS], 'shown', 1)
    changed = changed + 1
  end
end
return changed
`;

/**
 * KEYS: offer, stats day, totals; ARGV: now ISO. Counts every open; the first one moves issued or
 * shown to clicked and counts in the funnel. Returns the state after, or false if unknown.
 */
export const RECORD_CLICK = COUNTER_FN + `
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return false end
redis.call('HINCRBY', KEYS[1], 'clicks', 1)
if state == 'issued' or state == 'shown' then
  redis.call('HSET', KEYS[1], 'state', 'clicked', 'clickedAt', ARGV[1])
  redis.call('HINCRBY', KEYS[2], counter(KEYS[1], 'clicked'), 1)
  redis.call('HINCRBY', KEYS[3], 'clicked', 1)
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
 * KEYS: order offers (its `ids` field), stats day, offer keys…, totals; ARGV: expected ids JSON ('' when none yet),
 * now ISO, expiry ms for a first decision. Revokes every open offer of the order; an order
 * revoked before any decision gets an empty one, so it is never offered later. Returns the
 * number revoked, or -1 when the decision changed since it was read (the caller re-reads).
 */
export const REVOKE_ORDER = COUNTER_FN + `
local current = redis.call('HGET', KEYS[1], 'ids')
if (current or '') ~= ARGV[1] then return -1 end
if not current then
  redis.call('HSET', KEYS[1], 'ids', '[]')
  if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIREAT', KEYS[1], ARGV[3]) end
end
local revoked = 0
for i = 3, #KEYS - 1 do
  local state = redis.call('HGET', KEYS[i], 'state')
  if state == 'issued' or state == 'shown' or state == 'clicked' then
    redis.call('HSET', KEYS[i], 'state', 'revoked', 'revokedAt', ARGV[2])
    redis.call('HINCRBY', KEYS[2], counter(KEYS[i], 'revoked'), 1)
    redis.call('HINCRBY', KEYS[#KEYS], 'revoked', 1)
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
 * stats day, the customer record (pending emails), totals, the customer record again (its offer
 * index, `o:<offer id>` fields); ARGV: now (unix ms),
 * Message-ID, expiry counted from now (unix ms, as the offer stores it), offer key expiry
 * (unix ms), offer id. A live offer moves issued → shown with its new expiry, which its index
 * entry follows (so the index never drops an offer that still exists); one revoked while the
 * email was on its way keeps its state (the email did go).
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
  local indexed = tonumber(redis.call('HGET', KEYS[5], 'o:' .. ARGV[5]) or '-1')
  if indexed >= 0 and indexed < tonumber(ARGV[4]) then
    redis.call('HSET', KEYS[5], 'o:' .. ARGV[5], ARGV[4])
    redis.call('PEXPIREAT', KEYS[5], ARGV[4], 'GT')
  end
  redis.call('HINCRBY', KEYS[2], counter(KEYS[1], 'shown'), 1)
  redis.call('HINCRBY', KEYS[4], 'shown', 1)
end
redis.call('HINCRBY', KEYS[2], counter(KEYS[1], 'emailed'), 1)
return 1
`;

/**
 * Ends an email offer that will not be sent. KEYS: offer, stats day, pending emails, totals;
 * ARGV: new state ('revoked' or 'expired'), reason, now ISO, counter metric, offer id. Only an issued,
 * never-emailed offer changes. Returns 1 when it changed.
 */
export const CLOSE_EMAIL = COUNTER_FN + `
redis.call('HDEL', KEYS[3], ARGV[5])
if redis.call('HGET', KEYS[1], 'state') ~= 'issued' or redis.call('HEXISTS', KEYS[1], 'emailedAt') == 1 then return 0 end
local stamp = 'expiredAt'
if ARGV[1] == 'revoked' then stamp = 'revokedAt' end
redis.call('HSET', KEYS[1], 'state', ARGV[1], 'skipReason', ARGV[2], stamp, ARGV[3])
redis.call('HINCRBY', KEYS[2], counter(KEYS[1], ARGV[4]), 1)
redis.call('HINCRBY', KEYS[4], ARGV[1], 1)
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
 * pending emails (the customer record, whose purchase fields do not match a pending value and
 * are left alone), then the offer keys of the competitors the caller saw; ARGV: offer id, now
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

/**
 * Marks an offer's email as being handed to the mail server, before the SMTP conversation.
 * KEYS: offer, stats day, pending emails; ARGV: now ISO, offer id. Returns 1 when marked now
 * (send it), 0 when the memo says it went, -1 when the offer is gone, and 2 when an earlier
 * attempt marked it without writing the memo: that attempt died with the message maybe
 * accepted, so it is not sent again and counted once as `email_uncertain`.
 */
export const BEGIN_EMAIL = COUNTER_FN + `
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
if redis.call('HEXISTS', KEYS[1], 'emailedAt') == 1 then return 0 end
if redis.call('HEXISTS', KEYS[1], 'emailSendingAt') == 0 then
  redis.call('HSET', KEYS[1], 'emailSendingAt', ARGV[1])
  return 1
end
if redis.call('HEXISTS', KEYS[1], 'emailUncertainAt') == 0 then
  redis.call('HSET', KEYS[1], 'emailUncertainAt', ARGV[1])
  redis.call('HDEL', KEYS[3], ARGV[2])
  redis.call('HINCRBY', KEYS[2], counter(KEYS[1], 'email_uncertain'), 1)
end
return 2
`;
