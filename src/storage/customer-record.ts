/**
 * The customer record (`keys.customer`): one hash per customer, by email hash, holding three
 * kinds of field, told apart by their shape:
 *
 * - `<productId>` (digits) → when they last paid for it, unix seconds (see `paidSeconds`);
 * - `<offerId>` (`of_…`) → an offer email still to send, `<priority>|<sendAt ms>|<deadline ms>`;
 * - `o:<offerId>` → an offer made for them, until its offer key expires (unix ms): the index
 *   that privacy export and erasure read.
 *
 * One key rather than three saves, per customer, two keys' fixed cost (name, object, dictionary
 * and expiry entries) and two allocations' rounding. The record's TTL only ever grows: every
 * write keeps it at least `retention` from now, and the index keeps it at least until its latest
 * offer key expires.
 */

/** A purchase field (a product id). */
export const isPurchaseField = (field: string): boolean => /^\d+$/.test(field);

/** A pending-email field (an offer id). */
export const isPendingEmailField = (field: string): boolean => field.startsWith('of_');

/** Prefix of an offer-index field; the rest is the offer id. */
export const OFFER_INDEX_PREFIX = 'o:';

/**
 * A purchase time as stored: unix seconds, WooCommerce's own precision for paid dates. A listpack
 * keeps it as a 32-bit integer (6 bytes; unix ms take 10, ISO 8601 26). Floored, so a purchase
 * never looks later than it was (the order that led to an offer never counts as bought since it).
 */
export const paidSeconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

/**
 * Lua: `extendTo(key, ms)` makes `key` live at least `ms` more milliseconds, never shorter. For
 * every customer key whose TTL only grows (the record, the exposures).
 */
export const EXTEND_TO_FN = `
local function extendTo(key, ms)
  if redis.call('PTTL', key) < tonumber(ms) then redis.call('PEXPIRE', key, ms) end
end
`;

/**
 * Records purchases, keeping the latest time per product. KEYS: the record; ARGV: retention
 * (ms), then (product id, paid unix seconds) pairs.
 */
export const RECORD_PURCHASES = EXTEND_TO_FN + `
for i = 2, #ARGV, 2 do
  local current = redis.call('HGET', KEYS[1], ARGV[i])
  if not current or tonumber(current) < tonumber(ARGV[i + 1]) then redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
end
extendTo(KEYS[1], ARGV[1])
return 1
`;

/** Sets fields (pending emails). KEYS: the record; ARGV: retention (ms), then (field, value) pairs. */
export const SET_FIELDS = EXTEND_TO_FN + `
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
extendTo(KEYS[1], ARGV[1])
return 1
`;

/**
 * Adds offer ids to the offer index. KEYS: the record; ARGV: (offer key expiry ms, id) pairs.
 * First drops the index fields whose offer keys have expired (by Redis' own clock, the one that
 * expires them); an entry only ever grows (an emailed offer lives longer) and one already
 * expired is not added. The record then lives at least until its latest new entry.
 */
export const INDEX_OFFERS = EXTEND_TO_FN + `
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local fields = redis.call('HGETALL', KEYS[1])
for i = 1, #fields, 2 do
  if string.sub(fields[i], 1, 2) == 'o:' and tonumber(fields[i + 1]) < now then redis.call('HDEL', KEYS[1], fields[i]) end
end
local latest = 0
for i = 1, #ARGV, 2 do
  local field, at = 'o:' .. ARGV[i + 1], tonumber(ARGV[i])
  if at > now and at > tonumber(redis.call('HGET', KEYS[1], field) or '0') then
    redis.call('HSET', KEYS[1], field, ARGV[i])
    if at > latest then latest = at end
  end
end
if latest > 0 then extendTo(KEYS[1], latest - now) end
return 1
`;
