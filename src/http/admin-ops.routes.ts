import { Router, type RequestHandler } from 'express';
import type { HealthCheck } from '../domain/health.service';
import { shapeStats, statsRange } from '../domain/stats';
import type { WebhookSetup } from '../domain/webhook-setup.service';
import type { RuleStore } from '../storage/rule-store';
import type { StatsStore } from '../storage/stats-store';
import { rawBody } from './raw-body';

export interface AdminOpsDeps {
  signed: RequestHandler;
  webhooks: Pick<WebhookSetup, 'setup'>;
  health: HealthCheck;
  stats: StatsStore;
  rules: Pick<RuleStore, 'list'>;
  clock: () => Date;
}

/**
 * `/v1/admin/*` for the plugin's connection and funnel panels, signed like every admin route:
 * `POST webhooks/setup` (create or repair the store's Encore webhooks), `GET health`, and
 * `GET stats?from&to` (funnel per rule and channel over UTC days).
 */
export function adminOpsRoutes(deps: AdminOpsDeps): Router {
  const router = Router();
  router.use('/v1/admin', rawBody(), deps.signed);

  /** 200 with what was done per topic; 503 store down; 502 keys refused. Safe to repeat. */
  router.post('/v1/admin/webhooks/setup', async (_req, res) => {
    res.json(await deps.webhooks.setup());
  });

  /** Always 200 when the service itself answers: an unreachable store is shown, not failed. */
  router.get('/v1/admin/health', async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(await deps.health.check());
  });

  router.get('/v1/admin/stats', async (req, res) => {
    const range = statsRange(req.query, deps.clock());
    const [totals, rules] = await Promise.all([deps.stats.sum(range.days), deps.rules.list()]);
    res.json({ from: range.from, to: range.to, rules: shapeStats(totals, rules) });
  });

  return router;
}
