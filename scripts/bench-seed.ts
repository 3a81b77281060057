import type { Redis } from 'ioredis';
import { emailHash } from '../src/domain/customer';
import { randomBase32 } from '../src/domain/ids';
import { scanKeys } from '../src/storage/redis';

/**
 * Seeding many past orders for the benchmarks without running the whole service for each:
 * a few template orders go through the real service (thank-you request, snapshot store),
 * then every key they created under `order:<id>:`, `customer:<hash>` and `offer:<id>` is
 * copied for each new past order with its ids rewritten (order id, email hash, email, offer
 * ids) in key names and values, its TTL kept, by pipelined writes. Same types, same fields,
 * same sizes as the real thing.
 */
export interface Template {
  orderId: number;
  email: string;
}

type Value = { type: 'string'; v: string } | { type: 'hash'; v: Record<string, string> } | { type: 'set'; v: string[] } | { type: 'zset'; v: string[] } | { type: 'list'; v: string[] };

interface TemplateKey {
  key: string;
  value: Value;
  pttl: number;
}

async function read(redis: Redis, key: string): Promise<TemplateKey | null> {
  const type = await redis.type(key);
  const pttl = await redis.pttl(key);
  if (type === 'string') return { key, pttl, value: { type, v: (await redis.get(key)) ?? '' } };
  if (type === 'hash') return { key, pttl, value: { type, v: await redis.hgetall(key) } };
  if (type === 'set') return { key, pttl, value: { type, v: await redis.smembers(key) } };
  if (type === 'zset') return { key, pttl, value: { type, v: await redis.zrange(key, 0, -1, 'WITHSCORES') } };
  if (type === 'list') return { key, pttl, value: { type, v: await redis.lrange(key, 0, -1) } };
  return null;
}

/** Every key one template order owns: its order keys, its customer's keys, its offers. */
async function templateKeys(redis: Redis, namespace: string, t: Template): Promise<TemplateKey[]> {
  const prefix = `{${namespace}}:`;
  const customer = `${prefix}customer:${emailHash(namespace, t.email)}`;
  const names = [
    ...(await scanKeys(redis, `${prefix}order:${t.orderId}:*`)),
    ...(await scanKeys(redis, customer)),
    ...(await scanKeys(redis, `${customer}:*`)),
  ];
  const keys = (await Promise.all(names.map((k) => read(redis, k)))).filter((k): k is TemplateKey => k !== null);
  const offerIds = new Set(JSON.stringify(keys).match(/of_[0-9a-z]{12}/g) ?? []);
  for (const id of offerIds) {
    const offer = await read(redis, `${prefix}offer:${id}`);
    if (offer) keys.push(offer);
  }
  return keys;
}

/** What a seeding run wrote, for the report. */
export interface SeedResult {
  orders: number;
  keys: number;
  /** Keys per template order by kind, e.g. `order:*:offers` → 1. */
  kinds: Record<string, number>;
  seconds: number;
}

/** Kind of a key for the report: ids replaced by `*`. */
export const keyKind = (key: string): string =>
  key
    .replace(/^\{[^}]+\}:/, '')
    .replace(/\b(of|r)_[0-9a-z]{12}/g, '*')
    .replace(/[0-9a-f]{16,}/g, '*')
    .replace(/\b\d+\b/g, '*');

/**
 * Writes `count` past orders (ids `firstOrderId`…, emails from `emailOf`) copied round-robin
 * from `templates`, 500 orders per pipeline.
 */
export async function seedPastOrders(redis: Redis, opts: { namespace: string; templates: Template[]; count: number; firstOrderId: number; emailOf(orderId: number): string }): Promise<SeedResult> {
  const started = process.hrtime.bigint();
  const shapes = await Promise.all(opts.templates.map((t) => templateKeys(redis, opts.namespace, t)));
  const kinds: Record<string, number> = {};
  for (const k of shapes[0] ?? []) kinds[keyKind(k.key)] = (kinds[keyKind(k.key)] ?? 0) + 1;
  let written = 0;
  for (let start = 0; start < opts.count; start += 500) {
    const pipeline = redis.pipeline();
    for (let i = start; i < Math.min(opts.count, start + 500); i++) {
      const t = opts.templates[i % opts.templates.length]!;
      const orderId = opts.firstOrderId + i;
      const email = opts.emailOf(orderId);
      const swaps = new Map<string, string>([
        [emailHash(opts.namespace, t.email), emailHash(opts.namespace, email)],
        [t.email, email],
      ]);
      const rewrite = (text: string) => {
        let out = text.replace(/of_[0-9a-z]{12}/g, (id) => {
          if (!swaps.has(id)) swaps.set(id, `of_${randomBase32(12)}`);
          return swaps.get(id)!;
        });
        for (const [from, to] of swaps) if (!from.startsWith('of_')) out = out.split(from).join(to);
        return out.replace(new RegExp(`\\b${t.orderId}\\b`, 'g'), String(orderId));
      };
      for (const { key, value, pttl } of shapes[i % shapes.length]!) {
        const name = rewrite(key);
        pipeline.del(name);
        if (value.type === 'string') pipeline.set(name, rewrite(value.v));
        else if (value.type === 'hash') pipeline.hset(name, Object.fromEntries(Object.entries(value.v).map(([f, v]) => [rewrite(f), rewrite(v)])));
        else if (value.type === 'set') pipeline.sadd(name, ...value.v.map(rewrite));
        else if (value.type === 'zset') pipeline.zadd(name, ...value.v.map((v, j) => (j % 2 ? v : rewrite(v))).flatMap((v, j, all) => (j % 2 ? [] : [all[j + 1]!, v])));
        else pipeline.rpush(name, ...value.v.map(rewrite));
        if (pttl > 0) pipeline.pexpire(name, pttl);
        written++;
      }
    }
    await pipeline.exec();
  }
  return { orders: opts.count, keys: written, kinds, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

