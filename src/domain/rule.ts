import { z } from 'zod';
import { normalizeDecimal, toUnits } from './money';

/**
 * A merchant's recipe: when a paid order holds a trigger product, offer these products at
 * this discount on these channels for this long. Amounts are decimal strings as in
 * WooCommerce; numbers are accepted and normalised (`15` → `"15.00"`).
 */
const decimal = z.union([z.string(), z.number()]).transform((value, ctx) => {
  try {
    return normalizeDecimal(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be a decimal amount such as "15" or "12.50"' });
    return z.NEVER;
  }
});

const productIds = z
  .array(z.number().int().positive().max(2 ** 53 - 1))
  .min(1, 'must list at least one product id')
  .max(100, 'at most 100 product ids')
  .transform((ids) => [...new Set(ids)]);

/** Most products one offer may hold: the plugin's landing adds at most 20 (`Encore_Landing::MAX_PRODUCTS`). */
export const MAX_OFFER_PRODUCTS = 20;
const offerProductIds = productIds.refine((ids) => ids.length <= MAX_OFFER_PRODUCTS, `at most ${MAX_OFFER_PRODUCTS} offered product ids`);

export const RULE_KINDS = ['complement', 'upsell', 'cross_sell', 'bought_together'] as const;
export const DISCOUNT_TYPES = ['percent', 'fixed_cart', 'fixed_product'] as const;

const discountSchema = z
  .object({ type: z.enum(DISCOUNT_TYPES), amount: decimal })
  .strict()
  .superRefine((d, ctx) => {
    const units = toUnits(d.amount);
    if (units <= 0n) ctx.addIssue({ code: 'custom', path: ['amount'], message: 'must be greater than 0' });
    if (d.type === 'percent' && units > 100n * 10_000n) {
      ctx.addIssue({ code: 'custom', path: ['amount'], message: 'a percent discount is at most 100' });
    }
  });

/**
 * How a `bought_together` rule picks its products from paid orders: the `top` products most
 * often bought with the order's trigger products, each with a decayed co-purchase count of at
 * least `minSupport` (1 = one recent order; an order one half-life old counts 0.5).
 */
const fromHistorySchema = z
  .object({
    top: z.number().int('must be a whole number').min(1, 'must be at least 1').max(10, 'at most 10'),
    minSupport: z.number().positive('must be greater than 0').max(1_000_000),
  })
  .strict();

/**
 * The email channel: send after a fixed delay, or — for consumables — when the bought
 * quantity is about to run out: paid time + quantity × daysPerUnit − leadDays.
 */
const emailChannelSchema = z
  .object({
    enabled: z.boolean(),
    delayHours: z.number().min(0).max(24 * 365).optional(),
    replenish: z
      .object({
        daysPerUnit: z.number().positive().max(3650),
        leadDays: z.number().min(0).max(3650).default(0),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((email, ctx) => {
    const timings = [email.delayHours, email.replenish].filter((t) => t !== undefined).length;
    if (email.enabled && timings !== 1) {
      ctx.addIssue({ code: 'custom', message: 'an enabled email channel needs exactly one of delayHours or replenish' });
    }
  });

/**
 * Share of matching orders, percent, held out as a control group to measure the rule's lift:
 * 0 (no holdout) to 50, in steps of 0.1 (the split works in hundredths of a percent).
 */
const holdoutPercent = z
  .number('must be a number from 0 to 50')
  .min(0, 'must be from 0 to 50')
  .max(50, 'must be from 0 to 50')
  .refine((value) => Math.abs(value * 10 - Math.round(value * 10)) < 1e-9, 'at most one decimal place, e.g. 12.5')
  .default(0);

export const ruleInputSchema = z
  .object({
    name: z.string().trim().min(1, 'is required').max(120, 'at most 120 characters'),
    enabled: z.boolean().default(true),
    kind: z.enum(RULE_KINDS),
    trigger: z
      .object({ productIds, minOrderTotal: decimal.default('0.00') })
      .strict(),
    offer: z.object({ productIds: offerProductIds.optional(), fromHistory: fromHistorySchema.optional(), discount: discountSchema }).strict(),
    channels: z
      .object({ thankYou: z.boolean().default(true), email: emailChannelSchema.optional() })
      .strict()
      .default({ thankYou: true }),
    expiresAfterHours: z.number().int('must be whole hours').min(1).max(24 * 365),
    priority: z.number().int().min(-1000).max(1000).default(0),
    holdoutPercent,
  })
  .strict()
  .superRefine((rule, ctx) => {
    if (!offerFitsKind(rule, ctx)) return;
    const triggers = new Set(rule.trigger.productIds);
    if (rule.offer.productIds?.every((id) => triggers.has(id))) {
      ctx.addIssue({
        code: 'custom',
        path: ['offer', 'productIds'],
        message: 'offers only trigger products, which are never offered to the order that holds them',
      });
    }
  });

/**
 * A `bought_together` rule learns its products (`offer.fromHistory`); every other kind names
 * them (`offer.productIds`). Returns false after adding the issue when the offer does not fit.
 */
function offerFitsKind(rule: { kind: RuleKind; offer: { productIds?: number[]; fromHistory?: object } }, ctx: z.RefinementCtx): boolean {
  let fits = true;
  const issue = (field: string, message: string) => {
    ctx.addIssue({ code: 'custom', path: ['offer', field], message });
    fits = false;
  };
  if (rule.kind === 'bought_together') {
    if (rule.offer.productIds !== undefined) issue('productIds', 'a bought_together rule learns its products: set offer.fromHistory instead');
    if (rule.offer.fromHistory === undefined) issue('fromHistory', 'is required for a bought_together rule');
  } else {
    if (rule.offer.fromHistory !== undefined) issue('fromHistory', 'only a bought_together rule learns its products from history');
    if (rule.offer.productIds === undefined) issue('productIds', 'must list at least one product id');
  }
  return fits;
}

export type RuleInput = z.output<typeof ruleInputSchema>;
export type RuleKind = (typeof RULE_KINDS)[number];
export type Discount = RuleInput['offer']['discount'];

export interface Rule extends RuleInput {
  id: string;
  /** ISO 8601 UTC. */
  createdAt: string;
  updatedAt: string;
}

export const CHANNELS = ['thank_you', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];

/** The channels a rule reaches: an offer is made only where a rule has one. */
export function ruleChannels(rule: Pick<Rule, 'channels'>): Channel[] {
  const channels: Channel[] = [];
  if (rule.channels.thankYou) channels.push('thank_you');
  if (rule.channels.email?.enabled) channels.push('email');
  return channels;
}

/**
 * PUT semantics: the given top-level fields replace the stored ones (a nested object such
 * as `offer` is replaced whole), then the result is validated as a whole.
 */
export function mergeRulePatch(rule: Rule, patch: Record<string, unknown>): Record<string, unknown> {
  const { id: _id, createdAt: _c, updatedAt: _u, ...current } = rule;
  const { id: _pid, createdAt: _pc, updatedAt: _pu, ...changes } = patch;
  return { ...current, ...changes };
}
