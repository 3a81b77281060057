import type { RedisClient } from './redis';
import { AppError } from '../errors';
import { newId } from '../domain/ids';
import type { Rule, RuleInput } from '../domain/rule';
import type { Keys } from './keys';
import { runScript } from './lua';

export interface RuleStore {
  create(input: RuleInput, now: Date): Promise<Rule>;
  /** Replaces a rule; throws `not_found` when unknown. */
  replace(id: string, input: RuleInput, now: Date): Promise<Rule>;
  /** Throws `not_found` when unknown. */
  remove(id: string): Promise<void>;
  get(id: string): Promise<Rule | null>;
  list(): Promise<Rule[]>;
  /** Rules whose trigger names any of `productIds`, through the per-product index. */
  forProducts(productIds: Iterable<number>): Promise<Rule[]>;
}

/**
 * Rules live in one hash (id → JSON) with one set per trigger product, so that matching an
 * order reads only the rules that could fire for its products, never every rule.
 */
export function createRuleStore(redis: RedisClient, keys: Keys): RuleStore {
  // Rules saved before the holdout setting existed have none: they hold no orders out.
  const parse = (json: string | null): Rule | null => (json ? ({ holdoutPercent: 0, ...JSON.parse(json) } as Rule) : null);

  /**
   * Compare-and-set: writes `next` (or deletes when null) only if the stored JSON is still
   * `expectedJson` (as read, '' for none), moving the rule between trigger sets in the same atomic step.
   */
  async function swap(id: string, expected: Rule | null, next: Rule | null, expectedJson = ''): Promise<boolean> {
    const oldSets = (expected?.trigger.productIds ?? []).map((pid) => keys.rulesByTrigger(pid));
    const newSets = (next?.trigger.productIds ?? []).map((pid) => keys.rulesByTrigger(pid));
    const ok = await runScript(redis, 
      SWAP_SCRIPT,
      1 + oldSets.length + newSets.length,
      keys.rules,
      ...oldSets,
      ...newSets,
      id,
      expectedJson,
      next ? JSON.stringify(next) : '',
      String(oldSets.length),
    );
    return ok === 1;
  }

  async function update(id: string, build: (current: Rule) => Rule | null): Promise<Rule | null> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const json = await redis.hget(keys.rules, id);
      const current = parse(json);
      if (!current) throw new AppError('not_found', `No rule with id ${id}.`);
      const next = build(current);
      if (await swap(id, current, next, json ?? '')) return next;
    }
    throw new AppError('conflict', 'The rule changed while it was being saved; try again.');
  }

  return {
    async create(input, now) {
      const at = now.toISOString();
      const rule: Rule = { ...input, id: newId('r'), createdAt: at, updatedAt: at };
      await swap(rule.id, null, rule);
      return rule;
    },

    async replace(id, input, now) {
      const saved = await update(id, (current) => ({
        ...input,
        id,
        createdAt: current.createdAt,
        updatedAt: now.toISOString(),
      }));
      return saved!;
    },

    async remove(id) {
      await update(id, () => null);
    },

    async get(id) {
      return parse(await redis.hget(keys.rules, id));
    },

    async list() {
      const all = await redis.hvals(keys.rules);
      return all.map((json) => parse(json)!).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    },

    async forProducts(productIds) {
      const sets = [...new Set(productIds)].map((pid) => keys.rulesByTrigger(pid));
      if (sets.length === 0) return [];
      const ids = await redis.sunion(...sets);
      if (ids.length === 0) return [];
      const rows = await redis.hmget(keys.rules, ...ids);
      return rows.map(parse).filter((rule): rule is Rule => rule !== null);
    },
  };
}

/**
 * KEYS: rules hash, old trigger sets…, new trigger sets…; ARGV: id, expected JSON ('' for
 * none), next JSON ('' to delete), number of old sets. Returns 1 when written, 0 on conflict.
 */
const SWAP_SCRIPT = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if (current or '') ~= ARGV[2] then return 0 end
local nOld = tonumber(ARGV[4])
for i = 2, 1 + nOld do redis.call('SREM', KEYS[i], ARGV[1]) end
if ARGV[3] == '' then
  redis.call('HDEL', KEYS[1], ARGV[1])
else
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
  for i = 2 + nOld, #KEYS do redis.call('SADD', KEYS[i], ARGV[1]) end
end
return 1
`;
