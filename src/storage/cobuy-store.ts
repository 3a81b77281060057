import type { RedisClient } from './redis';
import { COBUY_RESIDUE } from '../domain/cobuy';
import { AppError } from '../errors';
import { cobuyOrderTtlSeconds, type Keys } from './keys';
import { runScript } from './lua';

/** A co-purchased product with its raw (undecayed) score. */
export interface ScoredProduct {
  productId: number;
  score: number;
}

/** What one paid order contributes: its counted products, its time weight and the share not refunded. */
export interface CobuyContribution {
  products: number[];
  /** 2^((paidAt − EPOCH) / halfLife); the first counted delivery's value stays the order's. */
  weight: number;
  /** 1 − refundedTotal / total, in [0, 1]; 0 withdraws the order. */
  share: number;
}

export interface CobuyStore {
  /**
   * Makes the order's contribution exactly `weight × share` on every pair of `products`, applying
   * only the difference to what it added before. Returns false when nothing changed (a repeat).
   */
  apply(orderId: number, contribution: CobuyContribution): Promise<boolean>;
  /** Takes back everything the order added (cancelled, refunded, failed, trashed). */
  withdraw(orderId: number): Promise<boolean>;
  /** For each product, up to `limit` products most bought with it, highest raw score first. */
  topWith(productIds: number[], limit: number): Promise<Map<number, ScoredProduct[]>>;
}

/** Attempts of the read-then-swap loop before giving up on a hot order record. */
const MAX_ATTEMPTS = 5;

interface OrderRecord {
  raw: string;
  products: number[];
}

/**
 * Co-purchase counts: one sorted set per product, and per order a record of what it added, so
 * that every change of the order (repeat, partial refund, cancellation) is one Lua step that
 * applies only the difference.
 */
export function createCobuyStore(redis: RedisClient, keys: Keys, halfLifeDays: number): CobuyStore {
  const ttl = cobuyOrderTtlSeconds(halfLifeDays);

  async function read(orderId: number): Promise<OrderRecord | null> {
    const raw = await redis.get(keys.orderCobuy(orderId));
    if (raw === null) return null;
    const csv = raw.split('|')[2] ?? '';
    return { raw, products: csv === '' ? [] : csv.split(',').map(Number) };
  }

  /** Returns 1 changed, 0 unchanged, or null when the record changed since it was read. */
  async function swap(orderId: number, expected: OrderRecord | null, c: CobuyContribution): Promise<number | null> {
    const ids = [...new Set([...(expected?.products ?? []), ...c.products])];
    const result = await runScript(
      redis,
      APPLY_SCRIPT,
      1 + ids.length,
      keys.orderCobuy(orderId),
      ...ids.map((id) => keys.cobuy(id)),
      expected?.raw ?? '',
      String(c.weight),
      String(c.share),
      c.products.join(','),
      ids.join(','),
      String(ttl),
      String(COBUY_RESIDUE),
    );
    return result === -1 ? null : Number(result);
  }

  async function update(orderId: number, build: (current: OrderRecord | null) => CobuyContribution | null): Promise<boolean> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await read(orderId);
      const next = build(current);
      if (!next) return false;
      const changed = await swap(orderId, current, next);
      if (changed !== null) return changed === 1;
    }
    throw new AppError('conflict', `The co-purchase record of order ${orderId} kept changing; try again.`);
  }

  return {
    apply(orderId, contribution) {
      if (!Number.isFinite(contribution.weight) || contribution.weight <= 0 || !(contribution.share >= 0 && contribution.share <= 1)) {
        throw new RangeError('a co-purchase weight must be finite and positive, its share within [0, 1]');
      }
      // An order of one product makes no pair: unless it once had more, there is nothing to write.
      return update(orderId, (current) => (current === null && contribution.products.length < 2 ? null : contribution));
    },

    withdraw(orderId) {
      // The weight is ignored when a record exists (the stored one is kept), and without one there is nothing to take back.
      return update(orderId, (current) => (current ? { products: current.products, weight: 1, share: 0 } : null));
    },

    async topWith(productIds, limit) {
      const ids = [...new Set(productIds)];
      const out = new Map<number, ScoredProduct[]>();
      if (ids.length === 0) return out;
      const pipeline = redis.pipeline();
      for (const id of ids) pipeline.zrevrange(keys.cobuy(id), 0, limit - 1, 'WITHSCORES');
      const results = (await pipeline.exec()) ?? [];
      ids.forEach((id, i) => {
        const [err, flat] = results[i] ?? [null, []];
        if (err) throw err;
        const list: ScoredProduct[] = [];
        const values = flat as string[];
        for (let j = 0; j + 1 < values.length; j += 2) list.push({ productId: Number(values[j]), score: Number(values[j + 1]) });
        out.set(id, list);
      });
      return out;
    },
  };
}

/**
 * KEYS: the order's record, then the co-purchase set of each id in ARGV[5] (same order).
 * ARGV: the record as read ('' for none), time weight, share, the order's products (csv), every
 * product id involved old or new (csv), record TTL seconds, residue share.
 * The record is `<time weight>|<applied>|<csv>`; numbers go through '%.17g', which gives back the
 * same double, so a repeat compares equal. Returns 1 applied, 0 nothing to change, -1 the record
 * changed since it was read.
 */
const APPLY_SCRIPT = `
local current = redis.call('GET', KEYS[1]) or ''
if current ~= ARGV[1] then return -1 end
local function split(csv)
  local out = {}
  for id in string.gmatch(csv, '[^,]+') do out[#out + 1] = id end
  return out
end
local function num(x) return string.format('%.17g', x) end
local base, applied, oldCsv = tonumber(ARGV[2]), 0, ''
if current ~= '' then
  local b, w, p = string.match(current, '^([^|]+)|([^|]+)|(.*)$')
  base, applied, oldCsv = tonumber(b), tonumber(w), p
end
local target = base * tonumber(ARGV[3])
local newCsv = ARGV[4]
if current ~= '' and target == applied and newCsv == oldCsv then return 0 end
local keyOf = {}
for i, id in ipairs(split(ARGV[5])) do keyOf[id] = KEYS[i + 1] end
local touched = {}
local function add(ids, weight)
  if weight == 0 then return end
  local w = num(weight)
  for _, a in ipairs(ids) do
    touched[a] = true
    for _, b in ipairs(ids) do
      if a ~= b then redis.call('ZINCRBY', keyOf[a], w, b) end
    end
  end
end
if newCsv == oldCsv then
  add(split(newCsv), target - applied)
else
  add(split(oldCsv), -applied)
  add(split(newCsv), target)
end
-- Scores at or below zero, or within rounding residue of it, are removed.
local floor = num(base * tonumber(ARGV[7]))
for a in pairs(touched) do redis.call('ZREMRANGEBYSCORE', keyOf[a], '-inf', floor) end
redis.call('SET', KEYS[1], num(base) .. '|' .. num(target) .. '|' .. newCsv, 'EX', ARGV[6])
return 1
`;
