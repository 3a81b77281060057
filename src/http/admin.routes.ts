import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { AppError } from '../errors';
import type { Offer } from '../domain/offer';
import { mergeRulePatch, ruleInputSchema } from '../domain/rule';
import { parseOrThrow } from '../domain/validation';
import type { OfferStore } from '../storage/offer-store';
import type { RuleStore } from '../storage/rule-store';
import { rawBody } from './raw-body';

const RULE_ID = /^r_[0-9a-z]{1,32}$/;
const orderIdParam = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** What the admin API shows of an offer: no email, no token. */
const publicOffer = (o: Offer) => ({
  id: o.id,
  ruleId: o.ruleId,
  kind: o.kind,
  state: o.state,
  productIds: o.productIds,
  discount: o.discount,
  channel: o.channel,
  issuedAt: o.issuedAt,
  expiresAt: o.expiresAt,
  sendAt: o.sendAt,
  emailedAt: o.emailedAt,
  couponCode: o.couponCode,
  clicks: o.clicks,
});

function ruleIdOf(value: string | string[] | undefined): string {
  if (typeof value !== 'string' || !RULE_ID.test(value)) throw new AppError('not_found', 'No rule with that id.');
  return value;
}

function requireObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new AppError('invalid_request', 'The body must be a JSON object.', { fields: { '(root)': 'expected an object' } });
  }
  return body as Record<string, unknown>;
}

/** `/v1/admin/*`: signed by the WordPress plugin; rules CRUD and an order's offers. */
export function adminRoutes(deps: { signed: RequestHandler; rules: RuleStore; offers: OfferStore; clock: () => Date }): Router {
  const router = Router();
  router.use('/v1/admin', rawBody(), deps.signed);

  router.get('/v1/admin/rules', async (_req, res) => {
    res.json({ rules: await deps.rules.list() });
  });

  router.post('/v1/admin/rules', async (req, res) => {
    const input = parseOrThrow(ruleInputSchema, requireObject(req.body), 'rule');
    res.status(201).json(await deps.rules.create(input, deps.clock()));
  });

  router.get('/v1/admin/rules/:id', async (req, res) => {
    const rule = await deps.rules.get(ruleIdOf(req.params.id));
    if (!rule) throw new AppError('not_found', 'No rule with that id.');
    res.json(rule);
  });

  /** Partial update: the given fields replace the stored ones, then the whole rule is validated. */
  router.put('/v1/admin/rules/:id', async (req, res) => {
    const id = ruleIdOf(req.params.id);
    const patch = requireObject(req.body);
    const current = await deps.rules.get(id);
    if (!current) throw new AppError('not_found', 'No rule with that id.');
    const input = parseOrThrow(ruleInputSchema, mergeRulePatch(current, patch), 'rule');
    res.json(await deps.rules.replace(id, input, deps.clock()));
  });

  router.delete('/v1/admin/rules/:id', async (req, res) => {
    await deps.rules.remove(ruleIdOf(req.params.id));
    res.status(204).end();
  });

  router.get('/v1/admin/orders/:orderId/offers', async (req, res) => {
    const parsed = orderIdParam.safeParse(req.params.orderId);
    if (!parsed.success) throw new AppError('invalid_request', 'The order id must be a positive integer.', { fields: { orderId: 'must be a positive integer' } });
    const offers = (await deps.offers.forOrder(parsed.data)) ?? [];
    res.json({ orderId: parsed.data, offers: offers.map(publicOffer) });
  });

  return router;
}
