import fc from 'fast-check';
import { DISCOUNT_TYPES, RULE_KINDS, ruleInputSchema, type Rule } from '../../src/domain/rule';
import { startTestEncore, type TestEncore } from '../support/encore';
import { sendSigned } from './signed';
import { answerOf, expectCleanAnswer, expectCleanLogs, nastyJson, nastyNumber, nastyString, newKeys, statusTally, storedKeys } from './support';

const RUNS = 200;

/** Mostly a good value, sometimes anything at all: rules that are nearly right find the edges. */
const field = <T>(good: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 20, arbitrary: good as fc.Arbitrary<unknown> }, { weight: 1, arbitrary: nastyJson(2) }, { weight: 1, arbitrary: nastyNumber() });

const productIds = fc.oneof(
  { weight: 10, arbitrary: fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 6 }) },
  { weight: 1, arbitrary: fc.array(nastyNumber(), { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 99, maxLength: 102 }) },
);
const amount = fc.oneof(
  fc.integer({ min: -5, max: 150 }),
  fc.stringMatching(/^-?\d{1,13}(\.\d{1,5})?$/),
  fc.constantFrom('15', ' 15 ', '0', '0.0001', '100', '100.0001', '1e2', '15,5', 1e21, 0.1, -0),
);
const emailChannel = fc.record(
  {
    enabled: field(fc.boolean()),
    delayHours: field(fc.double({ min: -1, max: 24 * 366, noNaN: true })),
    replenish: field(fc.record({ daysPerUnit: field(fc.double({ min: -1, max: 4000, noNaN: true })), leadDays: field(fc.integer({ min: -1, max: 4000 })) }, { requiredKeys: [] })),
  },
  { requiredKeys: [] },
);

/** Objects shaped like the admin API's rules: optional, extra and wrongly typed fields included. */
export const ruleLike: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    fc.record(
      {
        name: field(fc.oneof(fc.string({ minLength: 1, maxLength: 130 }), nastyString())),
        enabled: field(fc.boolean()),
        kind: field(fc.constantFrom(...RULE_KINDS, 'bought_together', 'COMPLEMENT')),
        trigger: field(fc.record({ productIds: field(productIds), minOrderTotal: field(amount) }, { requiredKeys: ['productIds'] })),
        offer: field(
          fc.record({
            productIds: field(productIds),
            discount: field(fc.record({ type: field(fc.constantFrom(...DISCOUNT_TYPES, 'percent_product')), amount: field(amount) }, { requiredKeys: ['type', 'amount'] })),
          }),
        ),
        channels: field(fc.record({ thankYou: field(fc.boolean()), email: field(emailChannel) }, { requiredKeys: [] })),
        expiresAfterHours: field(fc.integer({ min: -1, max: 24 * 366 })),
        priority: field(fc.integer({ min: -1001, max: 1001 })),
      },
      { requiredKeys: ['name', 'kind', 'trigger', 'offer', 'expiresAfterHours'] },
    ),
    fc.option(fc.tuple(fc.constantFrom('id', 'createdAt', 'extra', '__proto__', 'constructor', 'Name'), nastyJson(1)), { freq: 4 }),
  )
  .map(([rule, extra]) => (extra ? { ...rule, [extra[0]]: extra[1] } : rule));

/** Rules the schema accepts, with every optional part varied: the accepting path gets its share of runs. */
const validRule: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    name: fc.string({ minLength: 1, maxLength: 100 }).filter((n) => n.trim() !== ''),
    enabled: fc.boolean(),
    kind: fc.constantFrom(...RULE_KINDS),
    trigger: fc.record({ productIds: fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 5 }), minOrderTotal: fc.constantFrom('0', 12.5, '199.99') }, { requiredKeys: ['productIds'] }),
    offer: fc.record({
      productIds: fc.array(fc.integer({ min: 401, max: 800 }), { minLength: 1, maxLength: 20 }),
      discount: fc.record({ type: fc.constantFrom(...DISCOUNT_TYPES), amount: fc.integer({ min: 1, max: 100 }) }),
    }),
    channels: fc.record({ thankYou: fc.boolean(), email: fc.record({ enabled: fc.constant(true), delayHours: fc.integer({ min: 0, max: 720 }) }) }, { requiredKeys: [] }),
    expiresAfterHours: fc.integer({ min: 1, max: 24 * 365 }),
    priority: fc.integer({ min: -1000, max: 1000 }),
  },
  { requiredKeys: ['name', 'kind', 'trigger', 'offer', 'expiresAfterHours'] },
);

/** A stored rule without its bookkeeping, as it went into the schema. */
const inputOf = ({ id: _i, createdAt: _c, updatedAt: _u, ...input }: Rule) => input;

describe('fuzzing the admin rule JSON', () => {
  let encore: TestEncore;

  beforeAll(async () => {
    encore = await startTestEncore({ storeUrl: 'http://127.0.0.1:9', env: { ENCORE_ROLE: 'api' } });
  });
  afterAll(() => encore.stop());

  const storedRule = async (id: string): Promise<Rule | null> => {
    const json = await encore.redis.hget(encore.keys.rules, id);
    return json ? (JSON.parse(json) as Rule) : null;
  };

  it('creates a rule from a rule-shaped object with 201 (stored as answered) or refuses it with 400 (nothing stored)', async () => {
    const tally = statusTally();
    await fc.assert(
      fc.asyncProperty(fc.oneof(ruleLike, validRule), async (rule) => {
        const before = await storedKeys(encore);
        const text = JSON.stringify(rule);
        const { res, id } = await sendSigned(encore, 'POST', '/v1/admin/rules', text);
        const answer = await answerOf(res);
        expectCleanAnswer(answer, [201, 400], `POST ${text.slice(0, 300)}`);
        tally.count(answer.status);
        if (answer.status === 201) {
          const created = JSON.parse(answer.text) as Rule;
          expect(await storedRule(created.id)).toEqual(created);
          expect(ruleInputSchema.parse(inputOf(created))).toEqual(inputOf(created));
        } else {
          expect(newKeys(before, await storedKeys(encore)).filter((k) => k !== `seen:${id}`)).toEqual([]);
        }
      }),
      { numRuns: RUNS },
    );
    expect([tally.of(201) > 0, tally.of(400) > 0]).toEqual([true, true]);
  });

  it('updates with any patch to 200 (stored as answered) or refuses it leaving the stored rule as it was', async () => {
    const base = (await sendSigned(encore, 'POST', '/v1/admin/rules', JSON.stringify({ name: 'Base', kind: 'upsell', trigger: { productIds: [1] }, offer: { productIds: [2], discount: { type: 'percent', amount: 10 } }, expiresAfterHours: 24 }))).res;
    expect(base.status).toBe(201);
    const ruleId = ((await base.json()) as Rule).id;
    const patch = fc.oneof(
      ruleLike.chain((rule) => fc.subarray(Object.keys(rule)).map((keys) => Object.fromEntries(keys.map((k) => [k, rule[k]])))),
      nastyJson(3),
    );
    const tally = statusTally();
    await fc.assert(
      fc.asyncProperty(patch, fc.constantFrom(ruleId, ruleId, 'r_nosuchrule', 'R_X', 'r_' + 'a'.repeat(33)), async (body, id) => {
        const before = await storedRule(ruleId);
        const text = JSON.stringify(body) ?? '';
        const { res } = await sendSigned(encore, 'PUT', `/v1/admin/rules/${id}`, text);
        const answer = await answerOf(res);
        expectCleanAnswer(answer, [200, 400, 404], `PUT ${id} ${text.slice(0, 300)}`);
        tally.count(answer.status);
        const after = await storedRule(ruleId);
        if (answer.status === 200) {
          expect(after).toEqual(JSON.parse(answer.text));
          expect(ruleInputSchema.parse(inputOf(after!))).toEqual(inputOf(after!));
        } else expect(after).toEqual(before);
      }),
      { numRuns: RUNS },
    );
    expect([tally.of(200) > 0, tally.of(400) > 0, tally.of(404) > 0]).toEqual([true, true, true]);
  });

  it('logs no stack, source path, secret or email address, whatever came in', () => {
    expectCleanLogs(encore);
  });

  it('holds only rules that parse, each indexed under exactly its trigger products', async () => {
    const rules = Object.values(await encore.redis.hgetall(encore.keys.rules)).map((json) => JSON.parse(json) as Rule);
    expect(rules.length).toBeGreaterThan(1);
    for (const rule of rules) {
      expect(ruleInputSchema.safeParse(inputOf(rule)).error?.issues ?? []).toEqual([]);
      expect(rule.id).toMatch(/^r_[0-9a-z]{1,32}$/);
      for (const pid of rule.trigger.productIds) expect(await encore.redis.sismember(encore.keys.rulesByTrigger(pid), rule.id)).toBe(1);
    }
    const byId = new Map(rules.map((rule) => [rule.id, rule]));
    for (const key of await storedKeys(encore)) {
      const pid = /^rules:trigger:(\d+)$/.exec(key)?.[1];
      if (!pid) {
        expect(key).toMatch(/^(rules|seen:[A-Za-z0-9_-]+|q:[a-z]+:.+)$/);
        continue;
      }
      for (const id of await encore.redis.smembers(`${encore.keys.prefix}${key}`)) {
        expect(byId.get(id)?.trigger.productIds).toContain(Number(pid));
      }
    }
  });
});
