import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { DISCOUNT_TYPES, RULE_KINDS, ruleInputSchema, type Rule } from '../../src/domain/rule';
import { startTestEncore, type TestEncore } from '../support/encore';
import { sendSigned } from './signed';
import { answerOf, expectCleanAnswer, expectCleanLogs, nastyString, statusTally } from './support';

const run = promisify(execFile);
const SCRIPT = join(__dirname, 'php', 'rule-form.php');

type FormPost = Record<string, unknown>;
interface PhpAnswer {
  payloads: (string | false)[];
  resaved: (string | false)[];
  placed: Record<string, unknown>[];
}

/** The plugin's `Encore_Rule_Form` run by PHP itself over a batch (see rule-form.php). */
async function formInPhp(input: { posts: FormPost[]; rules: Rule[]; errors: Record<string, string>[] }): Promise<PhpAnswer> {
  const child = run('php', [SCRIPT], { maxBuffer: 16 * 1024 * 1024 });
  child.child.stdin!.end(JSON.stringify(input));
  return JSON.parse((await child).stdout) as PhpAnswer;
}

/**
 * Text a browser could submit: well-formed UTF-8 (a browser never sends a lone surrogate, and
 * WordPress' own sanitizing drops invalid UTF-8 before the plugin sees it).
 */
const typed = (arb: fc.Arbitrary<string>) => arb.map((s) => s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'));

/** What people type into a number input, and what they should not. */
const numberText = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -5, max: 9000 }).map(String) },
  { weight: 3, arbitrary: fc.tuple(fc.integer({ min: 0, max: 500 }), fc.constantFrom('.', ','), fc.integer({ min: 0, max: 9999 })).map(([a, sep, b]) => `${a}${sep}${b}`) },
  { weight: 2, arbitrary: fc.constantFrom('', ' ', ' 12 ', '1e3', '0x1A', '+5', '1,000.50', '٣', '１２', '99999999999999999999', 'NaN', '-0') },
  { weight: 1, arbitrary: typed(nastyString()) },
);
/** What a multi-select posts: ids as strings, sometimes a scalar or nested arrays instead. */
const productsPost = fc.oneof(
  { weight: 8, arbitrary: fc.array(fc.integer({ min: 1, max: 300 }).map(String), { minLength: 1, maxLength: 5 }) },
  { weight: 1, arbitrary: fc.array(fc.oneof(numberText, fc.array(numberText, { maxLength: 2 })), { maxLength: 4 }) },
  { weight: 1, arbitrary: numberText },
);
const choice = (good: readonly string[]) => fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...good) }, { weight: 1, arbitrary: typed(nastyString()) }, { weight: 1, arbitrary: fc.constant(['x']) });
const checkbox = fc.constantFrom('1', 'on', '', '0');

/** A submitted rule form: each input present or not, mostly plausible, sometimes anything. */
const formPost: fc.Arbitrary<FormPost> = fc.record(
  {
    name: fc.oneof({ weight: 6, arbitrary: fc.string({ minLength: 1, maxLength: 40 }) }, { weight: 1, arbitrary: typed(nastyString()) }, { weight: 1, arbitrary: fc.constantFrom('', ' ', '<b>x</b>', 'a'.repeat(130)) }),
    enabled: checkbox,
    kind: choice([...RULE_KINDS, 'bought_together']),
    trigger_products: productsPost,
    min_order_total: numberText,
    offer_products: productsPost,
    history_top: numberText,
    history_support: numberText,
    discount_type: choice(DISCOUNT_TYPES),
    discount_amount: numberText,
    thank_you: checkbox,
    email_mode: choice(['off', 'delay', 'replenish']),
    delay_hours: numberText,
    replenish_days: numberText,
    lead_days: numberText,
    expires_hours: numberText,
    priority: numberText,
    holdout_percent: numberText,
  },
  { requiredKeys: ['name', 'kind', 'expires_hours'] },
);

/** A form filled in as the admin means it: the service takes it, so the accepting path gets runs too. */
const validPost: fc.Arbitrary<FormPost> = fc
  .record({
    name: fc.stringMatching(/^[A-Za-z0-9 →ąęłńóśźżİ東京-]{1,40}$/).filter((n) => n.trim() !== ''),
    enabled: checkbox,
    learned: fc.boolean(),
    kind: fc.constantFrom(...RULE_KINDS),
    trigger_products: fc.array(fc.integer({ min: 1, max: 150 }).map(String), { minLength: 1, maxLength: 4 }),
    offer_products: fc.array(fc.integer({ min: 151, max: 300 }).map(String), { minLength: 1, maxLength: 4 }),
    history_top: fc.integer({ min: 1, max: 10 }).map(String),
    history_support: fc.constantFrom('1', '2,5', '0.5', '7'),
    discount: fc.oneof(
      fc.tuple(fc.constant('percent'), fc.integer({ min: 1, max: 100 }).map(String)),
      fc.tuple(fc.constantFrom('fixed_cart', 'fixed_product'), fc.constantFrom('5', '9,99', '12.50')),
    ),
    thank_you: checkbox,
    email: fc.oneof(
      fc.constant({ email_mode: 'off' }),
      fc.integer({ min: 0, max: 720 }).map((h) => ({ email_mode: 'delay', delay_hours: String(h) })),
      fc.tuple(fc.integer({ min: 1, max: 90 }), fc.integer({ min: 0, max: 10 })).map(([d, l]) => ({ email_mode: 'replenish', replenish_days: String(d), lead_days: String(l) })),
    ),
    expires_hours: fc.integer({ min: 1, max: 24 * 365 }).map(String),
    priority: fc.oneof(fc.constant(''), fc.integer({ min: -1000, max: 1000 }).map(String)),
    holdout_percent: fc.constantFrom('', '0', '5', '12,5', '50'),
  })
  .map(({ learned, kind, discount, email, ...rest }) => ({
    ...rest,
    ...email,
    kind: learned ? 'bought_together' : kind,
    discount_type: discount[0],
    discount_amount: discount[1],
  }));

/** A stored rule without its bookkeeping. */
const inputOf = ({ id: _i, createdAt: _c, updatedAt: _u, ...input }: Rule) => input;

describe('fuzzing the plugin rule form (PHP) against the service (admin rules API)', () => {
  let encore: TestEncore;

  beforeAll(async () => {
    encore = await startTestEncore({ storeUrl: 'http://127.0.0.1:9', env: { ENCORE_ROLE: 'api' } });
  });
  afterAll(() => encore.stop());

  it('whatever is submitted, the form sends JSON the service creates (201) or answers with errors that each land beside an input; a created rule saved again unchanged stays the same', async () => {
    const tally = statusTally();
    let resavedCount = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof({ weight: 2, arbitrary: formPost }, { weight: 1, arbitrary: validPost }), { minLength: 25, maxLength: 25 }), async (posts) => {
        const { payloads } = await formInPhp({ posts, rules: [], errors: [] });
        const created: Rule[] = [];
        const refusals: Record<string, string>[] = [];
        for (const [i, payload] of payloads.entries()) {
          expect({ post: posts[i], payload }).toEqual({ post: posts[i], payload: expect.any(String) });
          const answer = await answerOf((await sendSigned(encore, 'POST', '/v1/admin/rules', payload as string)).res);
          expectCleanAnswer(answer, [201, 400], `POST ${String(payload).slice(0, 300)}`);
          tally.count(answer.status);
          if (answer.status === 201) created.push(JSON.parse(answer.text) as Rule);
          else {
            const fields = (JSON.parse(answer.text) as { error: { fields?: Record<string, string> } }).error.fields;
            // A refusal the admin can act on names the field at fault.
            expect({ payload, fields }).toEqual({ payload, fields: expect.any(Object) });
            refusals.push(fields!);
          }
        }
        const { resaved, placed } = await formInPhp({ posts: [], rules: created, errors: refusals });
        placed.forEach((byInput, i) => expect({ fields: refusals[i], unplaced: byInput._other }).toEqual({ fields: refusals[i], unplaced: [] }));
        for (const [i, rule] of created.entries()) {
          // The form, opened on the stored rule and saved, says everything the rule holds (an
          // update merges, so a field the form forgot would otherwise go unnoticed)…
          expect({ sent: resaved[i], parsed: ruleInputSchema.parse(JSON.parse(resaved[i] as string)) }).toEqual({ sent: resaved[i], parsed: inputOf(rule) });
          // …and the service takes it back unchanged.
          const answer = await answerOf((await sendSigned(encore, 'PUT', `/v1/admin/rules/${rule.id}`, resaved[i] as string)).res);
          expect({ sent: resaved[i], status: answer.status }).toEqual({ sent: resaved[i], status: 200 });
          const stored = JSON.parse(answer.text) as Rule;
          expect(inputOf(stored)).toEqual(inputOf(rule));
          expect(ruleInputSchema.parse(inputOf(stored))).toEqual(inputOf(stored));
          resavedCount++;
        }
      }),
      // Each run starts PHP twice; a failure stops shrinking after 20 s and still reports its replay path.
      { numRuns: 10, interruptAfterTimeLimit: 20_000, markInterruptAsFailure: false },
    );
    // Both outcomes were exercised, and rules really went through the edit round trip.
    expect([tally.of(201) > 0, tally.of(400) > 0]).toEqual([true, true]);
    expect(resavedCount).toBeGreaterThan(0);
  });

  it('logs no stack, source path, secret or email address, whatever the form sent', () => {
    expectCleanLogs(encore);
  });
});
