import {
  byIdDesc,
  deleteFrom,
  getOne,
  invalidParams,
  links,
  paginate,
  parseSiteDate,
  siteDates,
  wooError,
  type Reply,
  type RouteRequest,
  type WooJson,
  type WooRoute,
  type WooStore,
} from './woo-fake-routes';

/**
 * Webhooks and orders of the WooCommerce fake: what webhook setup and the reconciliation sweep
 * use. Shapes follow `rest/webhook.json` and `rest/orders-page.json`.
 */

const WEBHOOK_STATUSES = ['active', 'paused', 'disabled'];
const ORDER_TOPICS = ['order.created', 'order.updated', 'order.deleted', 'order.restored'];
/** The actions behind each order topic (`WC_Webhook::get_topic_hooks()`), for the `hooks` field. */
const TOPIC_HOOKS: Record<string, string[]> = {
  'order.created': ['woocommerce_new_order'],
  'order.updated': ['woocommerce_process_shop_order_meta', 'woocommerce_update_order', 'woocommerce_order_refunded'],
  'order.deleted': ['wp_trash_post'],
  'order.restored': ['untrashed_post'],
};

const validTopic = (topic: unknown) => typeof topic === 'string' && (ORDER_TOPICS.includes(topic) || /^action\.[a-z0-9_]+$/.test(topic));
const validUrl = (url: unknown) => typeof url === 'string' && /^https?:\/\/[^\s/]+/i.test(url);

/** The webhook as REST shows it: everything but the secret. */
function publicWebhook(stored: WooJson): WooJson {
  const { secret: _secret, ...shown } = stored;
  return shown;
}

function applyWebhookFields(target: WooJson, b: WooJson): Reply | null {
  if (b.topic !== undefined) {
    if (!validTopic(b.topic)) return wooError(400, 'woocommerce_rest_shop_webhook_invalid_topic', 'Webhook topic is required and must be valid.');
    const topic = String(b.topic);
    const [resource, event] = topic.split('.');
    Object.assign(target, { topic, resource, event, hooks: TOPIC_HOOKS[topic] ?? [] });
  }
  if (b.delivery_url !== undefined) {
    if (!validUrl(b.delivery_url)) {
      return wooError(400, 'woocommerce_rest_shop_webhook_invalid_delivery_url', 'Webhook delivery URL must be a valid URL starting with http:// or https://.');
    }
    target.delivery_url = b.delivery_url;
  }
  if (b.status !== undefined) {
    if (!WEBHOOK_STATUSES.includes(String(b.status))) return invalidParams({ status: `status is not one of ${WEBHOOK_STATUSES.join(', ')}.` });
    target.status = b.status;
  }
  if (typeof b.name === 'string') target.name = b.name;
  if (typeof b.secret === 'string' && b.secret !== '') target.secret = b.secret;
  return null;
}

function createWebhook({ body }: RouteRequest, store: WooStore): Reply {
  if (!validTopic(body.topic)) return wooError(400, 'woocommerce_rest_shop_webhook_invalid_topic', 'Webhook topic is required and must be valid.');
  if (!validUrl(body.delivery_url)) {
    return wooError(400, 'woocommerce_rest_shop_webhook_invalid_delivery_url', 'Webhook delivery URL must be a valid URL starting with http:// or https://.');
  }
  const id = store.nextId('webhook');
  const now = siteDates(Date.now(), store);
  const webhook: WooJson = {
    ...store.templates.webhook,
    id,
    name: `Webhook created on ${now.local}`,
    status: 'active',
    // WooCommerce generates a secret when none is given.
    secret: `fake-secret-${id}`,
    date_created: now.local,
    date_created_gmt: now.gmt,
    date_modified: now.local,
    date_modified_gmt: now.gmt,
    _links: links(store, `webhooks/${id}`, 'webhooks'),
  };
  const error = applyWebhookFields(webhook, body);
  if (error) return error;
  store.webhooks.set(id, webhook);
  return { status: 201, body: publicWebhook(webhook) };
}

function updateWebhook({ params, body }: RouteRequest, store: WooStore): Reply {
  const webhook = store.webhooks.get(Number(params[0]));
  if (!webhook) return wooError(404, 'woocommerce_rest_shop_webhook_invalid_id', 'Invalid ID.');
  const draft = { ...webhook };
  const error = applyWebhookFields(draft, body);
  if (error) return error;
  const now = siteDates(Date.now(), store);
  Object.assign(webhook, draft, { date_modified: now.local, date_modified_gmt: now.gmt });
  return { status: 200, body: publicWebhook(webhook) };
}

/**
 * A date filter value as WP_Date_Query compares it: converted to the site's wall clock when it
 * has a zone, taken as is when not, then compared with the local column, or with the `_gmt`
 * column under `dates_are_gmt=true`. So `dates_are_gmt=true` wants a zone-less UTC time; a `Z`
 * there shifts the filter by the site's offset.
 */
function wallClock(value: string, store: WooStore): string | null {
  const ms = parseSiteDate(value, store);
  return ms === null ? null : siteDates(ms, store).local;
}

function listOrders({ query }: RouteRequest, store: WooStore): Reply {
  const gmt = query.get('dates_are_gmt') === 'true' || query.get('dates_are_gmt') === '1';
  const filters: [string, 'date_created' | 'date_modified', 1 | -1][] = [
    ['after', 'date_created', 1],
    ['before', 'date_created', -1],
    ['modified_after', 'date_modified', 1],
    ['modified_before', 'date_modified', -1],
  ];
  let orders = [...store.orders];
  for (const [param, column, sign] of filters) {
    const value = query.get(param);
    if (value === null) continue;
    const bound = wallClock(value, store);
    if (bound === null) return invalidParams({ [param]: 'Invalid date.' });
    const field = gmt ? `${column}_gmt` : column;
    orders = orders.filter((o) => (sign === 1 ? String(o[field]) > bound : String(o[field]) < bound));
  }
  const statuses = (query.get('status') ?? 'any').split(',');
  if (!statuses.includes('any')) orders = orders.filter((o) => statuses.includes(String(o.status)));
  const orderby = query.get('orderby') ?? 'date';
  const key = orderby === 'modified' ? 'date_modified_gmt' : orderby === 'id' ? null : 'date_created_gmt';
  orders.sort((a, b) => (key && String(a[key]) !== String(b[key]) ? (String(a[key]) < String(b[key]) ? 1 : -1) : byIdDesc(a, b)));
  if ((query.get('order') ?? 'desc') === 'asc') orders.reverse();
  return paginate(orders, query);
}

/** Webhooks (`GET`/`POST`/`PUT`/`DELETE`) and orders (`GET`, with the sweep's date filters). */
export function syncRoutes(): WooRoute[] {
  return [
    {
      method: 'GET',
      path: /^\/webhooks$/,
      denied: 'list',
      handle: ({ query }, store) => {
        const status = query.get('status') ?? 'all';
        const all = [...store.webhooks.values()].filter((w) => status === 'all' || w.status === status);
        return paginate(all.sort(byIdDesc).map(publicWebhook), query);
      },
    },
    { method: 'POST', path: /^\/webhooks$/, denied: 'create', handle: createWebhook },
    { method: 'GET', path: /^\/webhooks\/(\d+)$/, denied: 'view', handle: getOne((s) => s.webhooks, 'shop_webhook', publicWebhook) },
    { method: 'PUT', path: /^\/webhooks\/(\d+)$/, denied: 'edit', handle: updateWebhook },
    { method: 'DELETE', path: /^\/webhooks\/(\d+)$/, denied: 'delete', handle: deleteFrom((s) => s.webhooks, 'shop_webhook', 'Webhooks', false, publicWebhook) },
    { method: 'GET', path: /^\/orders$/, denied: 'list', handle: listOrders },
    {
      method: 'GET',
      path: /^\/orders\/(\d+)$/,
      denied: 'view',
      handle: ({ params }, store) => {
        const order = store.orders.find((o) => o.id === Number(params[0]));
        return order ? { status: 200, body: order } : wooError(404, 'woocommerce_rest_shop_order_invalid_id', 'Invalid ID.');
      },
    },
  ];
}
