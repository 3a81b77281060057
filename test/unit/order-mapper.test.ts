import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../src/errors';
import { parseDeletedOrder, parseWooOrder } from '../../src/integrations/woocommerce/order-mapper';
import { appErrorOf } from '../support/errors';

const deliveries = join(__dirname, '../fixtures/woocommerce/deliveries');
/** A delivery body exactly as WooCommerce sent it (`\/` and `\uXXXX` escapes included). */
const body = (name: string): unknown => JSON.parse(readFileSync(join(deliveries, `${name}.body`), 'utf8'));
const ordersPage = JSON.parse(readFileSync(join(__dirname, '../fixtures/woocommerce/rest/orders-page.json'), 'utf8')) as unknown[];

const printerAndTwoToners = [
  { productId: 101, variationId: 0, quantity: 1, total: '162.60' },
  { productId: 205, variationId: 0, quantity: 2, total: '20.08' },
];

describe('mapping WooCommerce orders to the domain', () => {
  it('every order delivery in the fixtures maps', () => {
    const names = readdirSync(deliveries)
      .filter((f) => f.endsWith('.body') && !['ping.body', 'order-deleted.body'].includes(f))
      .map((f) => f.replace(/\.body$/, ''));
    expect(names).toHaveLength(7);
    const statuses = Object.fromEntries(names.map((name) => [name, parseWooOrder(body(name)).status]));
    expect(statuses).toEqual({
      'order-created-pending': 'pending',
      'order-updated-processing': 'processing',
      'order-updated-processing-entity-secret': 'processing',
      'order-updated-completed-with-coupon': 'completed',
      'order-updated-refunded': 'refunded',
      'order-updated-cancelled': 'cancelled',
      'order-updated-failed': 'failed',
    });
  });

  it('a paid guest order keeps items, quantities, money strings, UTC times and scalar meta', () => {
    expect(parseWooOrder(body('order-updated-processing'))).toEqual({
      id: 4711,
      status: 'processing',
      email: 'zofia.wasik@example.com',
      customerId: 0,
      items: printerAndTwoToners,
      total: '243.88',
      currency: 'PLN',
      paidAt: '2026-11-20T13:05:40.000Z',
      modifiedAt: '2026-11-20T13:05:42.000Z',
      refundedTotal: '0.00',
      couponCodes: [],
      meta: { is_vat_exempt: 'no', _marketing_consent: 'yes' },
    });
  });

  it('a pending order is not paid yet', () => {
    const order = parseWooOrder(body('order-created-pending'));
    expect(order.paidAt).toBeNull();
    expect(order.modifiedAt).toBe('2026-11-20T13:05:42.000Z');
    expect(order.locale).toBeUndefined();
  });

  it('a redeemed Encore coupon and the registered customer come through', () => {
    const order = parseWooOrder(body('order-updated-completed-with-coupon'));
    expect(order).toMatchObject({ id: 4712, customerId: 38, total: '240.87', couponCodes: ['encore-7f3k2m9q'] });
    expect(order.meta._marketing_consent).toBe('yes');
  });

  it('an order from the REST orders page maps like a webhook body', () => {
    const order = parseWooOrder(ordersPage[0]);
    expect(order).toMatchObject({ id: 4711, status: 'processing', items: printerAndTwoToners, paidAt: '2026-11-20T13:05:40.000Z' });
  });

  it('a missing or empty billing email becomes null; coupon codes are lower-cased; only scalar meta is kept', () => {
    const base = body('order-updated-processing') as Record<string, unknown>;
    const edited = {
      ...base,
      billing: { email: '' },
      coupon_lines: [{ id: 1, code: 'ENCORE-ABC', discount: '1.00' }],
      meta_data: [
        { id: 1, key: 'flag', value: true },
        { id: 2, key: 'count', value: 3 },
        { id: 3, key: 'list', value: ['a'] },
        { id: 4, key: 'obj', value: { a: 1 } },
        { id: 5, key: 'flag', value: false },
        { id: 6, key: '__proto__', value: 'x' },
      ],
      some_extension_field: { anything: [1, 2] },
    };
    const order = parseWooOrder(edited);
    expect(order.email).toBeNull();
    expect(order.couponCodes).toEqual(['encore-abc']);
    expect(order.meta).toEqual({ flag: 'true', count: '3', ['__proto__']: 'x' });
    expect(Object.getPrototypeOf(order.meta)).toBe(Object.prototype);
    expect(parseWooOrder({ ...base, billing: { email: null } }).email).toBeNull();
  });

  it('the order.deleted body gives the trashed order id', () => {
    expect(parseDeletedOrder(body('order-deleted'))).toEqual({ id: 4713 });
  });

  it('a body that is not an order is an invalid_request naming the bad fields', () => {
    const err = appErrorOf(() => parseWooOrder({ id: 'x', status: 'processing', line_items: [{ product_id: 1 }] }));
    expect(err.code).toBe('invalid_request');
    expect(err.message).toBe('The body is not a WooCommerce order.');
    expect(Object.keys(err.fields ?? {})).toEqual(
      expect.arrayContaining(['id', 'currency', 'total', 'customer_id', 'line_items.0.quantity', 'line_items.0.total']),
    );
  });

  it('a money field sent as a number is refused rather than guessed', () => {
    const base = body('order-updated-processing') as Record<string, unknown>;
    const err = appErrorOf(() => parseWooOrder({ ...base, total: 243.88 }));
    expect(err.fields).toHaveProperty('total');
  });

  it('a deleted body without a usable id is an invalid_request', () => {
    const err = appErrorOf(() => parseDeletedOrder({ id: '4713' }));
    expect(err.code).toBe('invalid_request');
    expect(err.fields).toHaveProperty('id');
  });
});
