/**
 * The test shop through the stand-in's WooCommerce REST API (`/wp-json/wc/v3`), with the same
 * consumer key the Encore service uses. HTTP Basic, which the stand-in accepts over plain http.
 */
export interface StoreAccess {
  wpUrl: string;
  rest: { key: string; secret: string };
}

export interface TestOrder {
  id: number;
  key: string;
  /** The order-received page (`order-received` and `key`, as on WooCommerce's endpoint). */
  receivedUrl: string;
}

/** One REST call; throws with the answer when the status is not the expected one. */
export async function wooRest<T>(store: StoreAccess, method: string, path: string, body: unknown, expect = 200): Promise<T> {
  const auth = Buffer.from(`${store.rest.key}:${store.rest.secret}`).toString('base64');
  const response = await fetch(`${store.wpUrl}/wp-json/wc/v3${path}`, {
    method,
    headers: { Authorization: `Basic ${auth}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== expect) throw new Error(`${method} ${path}: HTTP ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/** A published simple product; its id. */
export async function createProduct(store: StoreAccess, name: string, price: string): Promise<number> {
  const product = await wooRest<{ id: number }>(store, 'POST', '/products', { name, regular_price: price, status: 'publish' }, 201);
  return product.id;
}

/** A paid (`processing`) guest order of one of each product. */
export async function createPaidOrder(store: StoreAccess, productIds: number[], email = 'zofia.wasik@example.com'): Promise<TestOrder> {
  const order = await wooRest<{ id: number; order_key: string }>(
    store,
    'POST',
    '/orders',
    {
      set_paid: true,
      currency: 'PLN',
      customer_id: 0,
      billing: { email },
      line_items: productIds.map((product_id) => ({ product_id, quantity: 1 })),
    },
    201,
  );
  const url = new URL(`${store.wpUrl}/`);
  url.searchParams.set('stand_in', 'order-received');
  url.searchParams.set('order-received', String(order.id));
  url.searchParams.set('key', order.order_key);
  return { id: order.id, key: order.order_key, receivedUrl: url.toString() };
}
