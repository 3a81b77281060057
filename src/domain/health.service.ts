import type { WooClient, WooPing } from '../integrations/woocommerce/woo-client';
import type { WebhookSetup } from './webhook-setup.service';

export interface Health {
  /** `ok` when Redis answered PING, `unavailable` otherwise. */
  redis: 'ok' | 'unavailable';
  /** Job counts per queue (waiting, active, delayed, failed…), or null without Redis. */
  queues: Record<string, Record<string, number>> | null;
  woocommerce: WooPing;
  /** Encore's webhooks in the store; null when WooCommerce could not be asked. */
  webhooks: { topic: string; id: number; status: string; deliveryUrl: string }[] | null;
  /** Encore topics without a webhook (empty when all exist; null when unknown). */
  missingTopics: string[] | null;
}

export interface HealthDeps {
  pingRedis: () => Promise<unknown>;
  queueCounts: () => Promise<Record<string, Record<string, number>>>;
  woo: Pick<WooClient, 'ping'>;
  webhooks: Pick<WebhookSetup, 'status'>;
}

/**
 * The admin page's health panel. Every part is checked at once and each WooCommerce call is
 * bounded by the client timeout, so the answer comes within about one timeout; a store that
 * is down is a finding to show, not a failure of the check.
 */
export function createHealthCheck(deps: HealthDeps) {
  return {
    async check(): Promise<Health> {
      const [redis, queues, woocommerce, hooks] = await Promise.all([
        deps.pingRedis().then(() => 'ok' as const, () => 'unavailable' as const),
        deps.queueCounts().catch(() => null),
        deps.woo.ping(),
        deps.webhooks.status().catch(() => null),
      ]);
      return {
        redis,
        queues,
        woocommerce,
        webhooks: hooks?.webhooks.map((w) => ({ topic: w.topic, id: w.id, status: w.status, deliveryUrl: w.deliveryUrl })) ?? null,
        missingTopics: hooks?.missing ?? null,
      };
    },
  };
}

export type HealthCheck = ReturnType<typeof createHealthCheck>;
