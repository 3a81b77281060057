import { AppError } from '../errors';
import { isAuthRefusal, type WooClient, type WooWebhook } from '../integrations/woocommerce/woo-client';

/** The order topics Encore listens to; `order.deleted` fires on trash, not on purge. */
export const ENCORE_TOPICS = ['order.created', 'order.updated', 'order.deleted'] as const;
export type EncoreTopic = (typeof ENCORE_TOPICS)[number];

export interface SetupEntry {
  topic: string;
  id: number;
  status: string;
  action: 'created' | 'reactivated' | 'unchanged';
  /** Another Encore webhook of the same topic is the one kept: left alone, shown for cleanup. */
  duplicate?: true;
}

/** Per topic, the webhook Encore relies on and any duplicates (same topic and delivery URL). */
interface TopicWebhooks {
  primary: WooWebhook | null;
  duplicates: WooWebhook[];
}

/** The preferred webhook of a topic: an active one, else paused (the admin's choice), else disabled; oldest first. */
const RANK: Record<string, number> = { active: 0, paused: 1, disabled: 2 };

/** `https://Encore.example.com/webhooks/woocommerce/` and its lower-case host form are one URL. */
function sameUrl(a: string, b: string): boolean {
  const normal = (url: string) => {
    try {
      return new URL(url).href.replace(/\/+$/, '');
    } catch {
      return url;
    }
  };
  return normal(a) === normal(b);
}

/** Groups the store's webhooks into Encore's, by topic. */
export function encoreWebhooks(all: WooWebhook[], deliveryUrl: string): Map<EncoreTopic, TopicWebhooks> {
  const ours = all.filter((w) => sameUrl(w.deliveryUrl, deliveryUrl));
  return new Map(
    ENCORE_TOPICS.map((topic) => {
      const ranked = ours
        .filter((w) => w.topic === topic)
        .sort((a, b) => (RANK[a.status] ?? 3) - (RANK[b.status] ?? 3) || a.id - b.id);
      return [topic, { primary: ranked[0] ?? null, duplicates: ranked.slice(1) }];
    }),
  );
}

/** Why WordPress would never deliver to this URL (`wp_http_validate_url`, `http_allowed_safe_ports`). */
export function deliveryUrlWarnings(deliveryUrl: string): string[] {
  const url = new URL(deliveryUrl);
  const warnings: string[] = [];
  if (url.port && !['80', '443', '8080'].includes(url.port)) {
    warnings.push(`WordPress delivers webhooks only to ports 80, 443 and 8080, not ${url.port}: set ENCORE_PUBLIC_URL accordingly.`);
  }
  const host = url.hostname;
  if (/^(localhost|127\.|10\.|192\.168\.|169\.254\.|172\.(1[6-9]|2\d|3[01])\.|\[)/.test(host) || host === '0.0.0.0') {
    warnings.push('WordPress refuses loopback, private and IPv6-literal delivery hosts by default: use a public host name in ENCORE_PUBLIC_URL.');
  }
  return warnings;
}

/** The webhook name shown in WooCommerce › Settings › Advanced › Webhooks. */
const nameOf = (topic: EncoreTopic) => `Encore: order ${topic.split('.')[1]}`;

export interface WebhookSetupDeps {
  woo: Pick<WooClient, 'listWebhooks' | 'createWebhook' | 'updateWebhook'>;
  /** `ENCORE_PUBLIC_URL/webhooks/woocommerce`. */
  deliveryUrl: string;
  /** `WC_WEBHOOK_SECRET`. WooCommerce never returns a webhook's secret, so it is re-sent on repair. */
  secret: string;
}

/**
 * Creating, repairing and checking the store's Encore webhooks through the REST API. A refused
 * key pair becomes one clear `upstream_rejected` (502); an unreachable store stays
 * `upstream_unavailable` (503).
 */
export function createWebhookSetup(deps: WebhookSetupDeps) {
  const reactivate = (w: WooWebhook) => deps.woo.updateWebhook(w.id, { status: 'active', secret: deps.secret });
  const groups = async () => encoreWebhooks(await deps.woo.listWebhooks(), deps.deliveryUrl);

  return {
    /** The admin's button: every topic ends with one active webhook; duplicates are reported, not touched. */
    async setup(): Promise<{ webhooks: SetupEntry[]; warnings: string[] }> {
      try {
        const entries: SetupEntry[] = [];
        for (const [topic, { primary, duplicates }] of await groups()) {
          if (!primary) {
            const made = await deps.woo.createWebhook({ name: nameOf(topic), topic, deliveryUrl: deps.deliveryUrl, secret: deps.secret, status: 'active' });
            entries.push({ topic, id: made.id, status: made.status, action: 'created' });
          } else if (primary.status !== 'active') {
            const fixed = await reactivate(primary);
            entries.push({ topic, id: fixed.id, status: fixed.status, action: 'reactivated' });
          } else {
            entries.push({ topic, id: primary.id, status: primary.status, action: 'unchanged' });
          }
          for (const d of duplicates) entries.push({ topic, id: d.id, status: d.status, action: 'unchanged', duplicate: true });
        }
        return { webhooks: entries, warnings: deliveryUrlWarnings(deps.deliveryUrl) };
      } catch (err) {
        if (isAuthRefusal(err)) {
          throw new AppError(
            'upstream_rejected',
            'WooCommerce refused the REST API keys: check WC_CONSUMER_KEY and WC_CONSUMER_SECRET, and that the key has Read/Write permission.',
            { reason: 'keys_refused' },
          );
        }
        throw err;
      }
    },

    /**
     * The sweep's check: re-activates the kept webhook of a topic when WooCommerce disabled it
     * after repeated delivery failures (`paused` is the admin's choice and stays); reports
     * topics with no Encore webhook (creating them is the admin's button).
     */
    async repair(): Promise<{ reactivated: WooWebhook[]; missing: EncoreTopic[] }> {
      const reactivated: WooWebhook[] = [];
      const missing: EncoreTopic[] = [];
      for (const [topic, { primary }] of await groups()) {
        if (!primary) missing.push(topic);
        else if (primary.status === 'disabled') reactivated.push(await reactivate(primary));
      }
      return { reactivated, missing };
    },

    /** Encore's webhooks as the store has them, and the topics that have none. */
    async status(): Promise<{ webhooks: WooWebhook[]; missing: EncoreTopic[] }> {
      const found = await groups();
      return {
        webhooks: [...found.values()].flatMap((g) => (g.primary ? [g.primary, ...g.duplicates] : [])),
        missing: [...found].filter(([, g]) => !g.primary).map(([topic]) => topic),
      };
    },
  };
}

export type WebhookSetup = ReturnType<typeof createWebhookSetup>;
