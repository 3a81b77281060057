/**
 * REST routes of the WooCommerce fake, under `/wp-json/wc/v3`, with WooCommerce's shapes and
 * errors, and the helpers routes share. A new endpoint is one more `WooRoute` in a route list
 * (`storeRoutes` here, `syncRoutes` in `woo-fake-sync-routes.ts`).
 */
export type WooJson = Record<string, unknown>;

export interface WooStore {
  url: string;
  /** Site timezone, minutes east of UTC: local `date_*` fields and zone-less input use it. */
  utcOffsetMinutes: number;
  coupons: Map<number, WooJson>;
  products: Map<number, WooJson>;
  /** Stored with their `secret`, which answers leave out. */
  webhooks: Map<number, WooJson>;
  orders: WooJson[];
  templates: { coupon: WooJson; product: WooJson; webhook: WooJson };
  nextId(kind: 'coupon' | 'webhook' | 'meta'): number;
}

export interface RouteRequest {
  params: string[];
  query: URLSearchParams;
  body: WooJson;
}

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface WooRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Matched against the path under `/wp-json/wc/v3`; capture groups become `params`. */
  path: RegExp;
  /** The permission callback's answer to a request without valid credentials. */
  denied: 'list' | 'view' | 'create' | 'edit' | 'delete';
  handle(req: RouteRequest, store: WooStore): Reply;
}

/** What WooCommerce's permission callbacks answer (401) when no key authenticated the request. */
export const DENIED: Record<WooRoute['denied'], { code: string; message: string }> = {
  list: { code: 'woocommerce_rest_cannot_view', message: 'Sorry, you cannot list resources.' },
  view: { code: 'woocommerce_rest_cannot_view', message: 'Sorry, you cannot view this resource.' },
  create: { code: 'woocommerce_rest_cannot_create', message: 'Sorry, you are not allowed to create resources.' },
  edit: { code: 'woocommerce_rest_cannot_edit', message: 'Sorry, you are not allowed to edit this resource.' },
  delete: { code: 'woocommerce_rest_cannot_delete', message: 'Sorry, you are not allowed to delete this resource.' },
};

/** `{"code","message","data":{"status"}}` with the same HTTP status, as WP_Error is sent. */
export function wooError(status: number, code: string, message: string, data: WooJson = {}): Reply {
  return { status, body: { code, message, data: { status, ...data } } };
}

/** 404 for an unknown id, e.g. `woocommerce_rest_product_invalid_id`. */
export const invalidId = (type: string) => wooError(404, `woocommerce_rest_${type}_invalid_id`, 'Invalid ID.');
/** 400 `rest_invalid_param`, as WordPress answers a schema violation. */
export const invalidParams = (params: Record<string, string>) =>
  wooError(400, 'rest_invalid_param', `Invalid parameter(s): ${Object.keys(params).join(', ')}`, { params });

/** `rest_parse_date()`'s accepted form; the zone is optional. */
const WP_DATE = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?$/;
const hasZone = (value: string) => /(?:[Zz]|[+-]\d{2}(?::?\d{2})?)$/.test(value.slice(19));

/** Epoch ms of a REST date; a zone-less one is read in the site's timezone, as WooCommerce does. */
export function parseSiteDate(value: string, store: WooStore): number | null {
  if (!WP_DATE.test(value)) return null;
  const iso = value.replace(' ', 'T');
  const ms = hasZone(value) ? Date.parse(iso) : Date.parse(`${iso}Z`) - store.utcOffsetMinutes * 60_000;
  return Number.isNaN(ms) ? null : ms;
}

/** `YYYY-MM-DDTHH:MM:SS` local and GMT, the way every `date_*` / `date_*_gmt` pair is sent. */
export function siteDates(ms: number, store: WooStore): { local: string; gmt: string } {
  const fmt = (t: number) => new Date(t).toISOString().slice(0, 19);
  return { local: fmt(ms + store.utcOffsetMinutes * 60_000), gmt: fmt(ms) };
}

/** A WordPress REST boolean: true/false, 1/0 and their strings. */
export function wpBool(value: unknown): boolean | undefined {
  if (value === true || value === 'true' || value === '1' || value === 1) return true;
  if (value === false || value === 'false' || value === '0' || value === 0) return false;
  return undefined;
}

/** `page`/`per_page` (1–100, default 10) with `X-WP-Total` and `X-WP-TotalPages`. */
export function paginate(items: WooJson[], query: URLSearchParams): Reply {
  const perPage = Number(query.get('per_page') ?? 10);
  const page = Number(query.get('page') ?? 1);
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100) {
    return invalidParams({ per_page: 'per_page must be between 1 (inclusive) and 100 (inclusive)' });
  }
  if (!Number.isInteger(page) || page < 1) return invalidParams({ page: 'page must be greater than or equal to 1' });
  const totalPages = Math.ceil(items.length / perPage);
  return {
    status: 200,
    body: items.slice((page - 1) * perPage, page * perPage),
    headers: { 'X-WP-Total': String(items.length), 'X-WP-TotalPages': String(totalPages) },
  };
}

const COUPON_TYPES = ['percent', 'fixed_cart', 'fixed_product'];
const isIntLike = (v: unknown) => (typeof v === 'number' && Number.isInteger(v)) || (typeof v === 'string' && /^-?\d+$/.test(v));

/** Type checks WordPress applies from the coupon schema before the controller runs. */
function couponParamErrors(b: WooJson): Record<string, string> {
  const bad: Record<string, string> = {};
  if (b.discount_type !== undefined && !COUPON_TYPES.includes(String(b.discount_type))) {
    bad.discount_type = `discount_type is not one of ${COUPON_TYPES.slice(0, -1).join(', ')}, and ${COUPON_TYPES.at(-1)}.`;
  }
  if (b.amount !== undefined && typeof b.amount !== 'string') bad.amount = 'amount is not of type string.';
  for (const key of ['product_ids', 'email_restrictions', 'meta_data'] as const) {
    if (b[key] !== undefined && !Array.isArray(b[key])) bad[key] = `${key} is not of type array.`;
  }
  for (const key of ['usage_limit', 'usage_limit_per_user'] as const) {
    if (b[key] !== undefined && b[key] !== null && !isIntLike(b[key])) bad[key] = `${key} is not of type integer,null.`;
  }
  if (b.individual_use !== undefined && wpBool(b.individual_use) === undefined) bad.individual_use = 'individual_use is not of type boolean.';
  if (b.date_expires !== undefined && b.date_expires !== null && !WP_DATE.test(String(b.date_expires))) bad.date_expires = 'Invalid date.';
  return bad;
}

function createCoupon({ body: b }: RouteRequest, store: WooStore): Reply {
  if (typeof b.code !== 'string' || b.code.trim() === '') {
    return wooError(400, 'rest_missing_callback_param', 'Missing parameter(s): code', { params: ['code'] });
  }
  const bad = couponParamErrors(b);
  if (Object.keys(bad).length) return invalidParams(bad);
  const code = b.code.trim().toLowerCase();
  if ([...store.coupons.values()].some((c) => c.code === code && c.status === 'publish')) {
    return wooError(400, 'woocommerce_rest_coupon_code_already_exists', 'The coupon code already exists');
  }
  const now = siteDates(Date.now(), store);
  // `date_expires_gmt` is deliberately not read: WC_Coupon has no setter for it.
  const expiresMs = typeof b.date_expires === 'string' ? parseSiteDate(b.date_expires, store) : null;
  const expires = expiresMs === null ? null : siteDates(expiresMs, store);
  const id = store.nextId('coupon');
  const meta = Array.isArray(b.meta_data) ? (b.meta_data as WooJson[]) : [];
  const coupon: WooJson = {
    ...store.templates.coupon,
    id,
    code,
    amount: typeof b.amount === 'string' ? b.amount : '0',
    status: 'publish',
    date_created: now.local,
    date_created_gmt: now.gmt,
    date_modified: now.local,
    date_modified_gmt: now.gmt,
    discount_type: b.discount_type ?? 'fixed_cart',
    date_expires: expires?.local ?? null,
    date_expires_gmt: expires?.gmt ?? null,
    usage_count: 0,
    individual_use: wpBool(b.individual_use) ?? false,
    product_ids: (b.product_ids as unknown[] | undefined)?.map(Number) ?? [],
    usage_limit: b.usage_limit == null ? null : Number(b.usage_limit),
    usage_limit_per_user: b.usage_limit_per_user == null ? null : Number(b.usage_limit_per_user),
    email_restrictions: ((b.email_restrictions as unknown[] | undefined) ?? []).map((e) => String(e).trim().toLowerCase()),
    used_by: [],
    meta_data: meta.map((m) => ({ id: store.nextId('meta'), key: String(m.key), value: m.value })),
    _links: links(store, `coupons/${id}`, 'coupons'),
  };
  store.coupons.set(id, coupon);
  return { status: 201, body: coupon };
}

type MapOf = (store: WooStore) => Map<number, WooJson>;

/** `DELETE /<items>/<id>`: `force=true` deletes, otherwise trash (where the type has one). */
export function deleteFrom(pick: MapOf, type: string, label: string, trashable: boolean, shape = (item: WooJson) => item): WooRoute['handle'] {
  return ({ params, query }, store) => {
    const map = pick(store);
    const id = Number(params[0]);
    const item = map.get(id);
    if (!item) return invalidId(type);
    const force = wpBool(query.get('force') ?? false);
    if (force === undefined) return invalidParams({ force: 'force is not of type boolean.' });
    if (force) {
      map.delete(id);
      return { status: 200, body: shape(item) };
    }
    if (!trashable) return wooError(501, 'woocommerce_rest_trash_not_supported', `${label} do not support trashing.`);
    if (item.status === 'trash') return wooError(410, 'woocommerce_rest_already_trashed', `The ${label.toLowerCase()} has already been deleted.`);
    item.status = 'trash';
    return { status: 200, body: shape(item) };
  };
}

/** `GET /<items>/<id>`, 404 `woocommerce_rest_<type>_invalid_id` when absent. */
export function getOne(pick: MapOf, type: string, shape: (item: WooJson) => WooJson = (item) => item): WooRoute['handle'] {
  return ({ params }, store) => {
    const item = pick(store).get(Number(params[0]));
    return item ? { status: 200, body: shape(item) } : invalidId(type);
  };
}

/** The `_links` block of an answer. */
export const links = (store: WooStore, self: string, collection?: string) => ({
  self: [{ href: `${store.url}/wp-json/wc/v3/${self}` }],
  ...(collection ? { collection: [{ href: `${store.url}/wp-json/wc/v3/${collection}` }] } : {}),
});

/** Newest first, WooCommerce's default listing order. */
export const byIdDesc = (a: WooJson, b: WooJson) => Number(b.id) - Number(a.id);

/** Coupons and products: what offers and their coupons need. */
export function storeRoutes(): WooRoute[] {
  return [
    { method: 'POST', path: /^\/coupons$/, denied: 'create', handle: createCoupon },
    {
      method: 'GET',
      path: /^\/coupons$/,
      denied: 'list',
      handle: ({ query }, store) => {
        // `wc_get_coupon_id_by_code()`: one exact (case-insensitive) published match or nothing.
        const code = query.get('code')?.trim().toLowerCase();
        const all = [...store.coupons.values()].sort(byIdDesc);
        return paginate(code === undefined ? all : all.filter((c) => c.code === code && c.status === 'publish').slice(0, 1), query);
      },
    },
    { method: 'GET', path: /^\/coupons\/(\d+)$/, denied: 'view', handle: getOne((s) => s.coupons, 'shop_coupon') },
    { method: 'DELETE', path: /^\/coupons\/(\d+)$/, denied: 'delete', handle: deleteFrom((s) => s.coupons, 'shop_coupon', 'Coupons', true) },
    { method: 'GET', path: /^\/products\/(\d+)$/, denied: 'view', handle: getOne((s) => s.products, 'product') },
  ];
}
