import { createServer, type Server, type Socket } from 'node:net';
import type { Page } from 'playwright-core';
import { printerTonerRule, TEST_SECRETS, type TestEncore } from '../support/encore';
import {
  artifact,
  connectPlugin,
  createPaidOrder,
  launchBrowser,
  pluginPhpErrors,
  readState,
  startEncoreForShop,
  wcLog,
  type StackState,
  type TestBrowser,
} from './support/harness';

/** The plugin's default thank-you budget (seconds → ms) and what a page may take beyond it. */
const BUDGET_MS = 1500;
const MARGIN_MS = 1500;

/**
 * A buyer's side: the offers on the order-received page, the offer link filling the cart with
 * the coupon applied, and the page when the service is down or hangs.
 */
describe('buyer: thank-you offers and the offer link', () => {
  let state: StackState;
  let encore: TestEncore;
  /** The service's stop once it was asked to stop. */
  let stopping: Promise<void> | null = null;
  let browser: TestBrowser;
  let page: Page;

  beforeAll(async () => {
    state = readState();
    encore = await startEncoreForShop(state);
    connectPlugin(state, encore.url, TEST_SECRETS.ENCORE_SHIM_SECRET);
    const rule = printerTonerRule({
      trigger: { productIds: [state.products.printer], minOrderTotal: '0' },
      offer: { productIds: [state.products.toner, state.products.paper], discount: { type: 'percent', amount: '15' } },
    });
    const created = await encore.signed('POST', '/v1/admin/rules', rule);
    expect(created.status).toBe(201);
    browser = await launchBrowser();
    page = await browser.context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await (stopping ?? encore?.stop());
  });

  let orderId = 0;

  test('the order-received page of a paid printer order shows the service’s offers above the order details', async () => {
    const order = await createPaidOrder(state, [state.products.printer]);
    orderId = order.id;
    await page.goto(order.receivedUrl);

    const offers = page.locator('section.encore-offers');
    await expect(offers.count()).resolves.toBe(1);
    await expect(offers.locator('.encore-offer__name').allTextContents()).resolves.toEqual(['Toner cartridge TN-200', 'Paper A4, 500 sheets']);
    await expect(offers.locator('.encore-offer__discount').textContent()).resolves.toContain('15');
    const cta = await offers.locator('a.encore-offer__cta').getAttribute('href');
    expect(cta).toMatch(new RegExp(`^${encore.url}/o/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$`));
    // The rest of the page is the shop's: the offers sit between the overview and the details.
    await expect(page.locator('.woocommerce-thankyou-order-received').textContent()).resolves.toContain('Thank you');
    const sections = await page.$$eval('.woocommerce-order > *', (els) => els.map((el) => el.className));
    expect(sections).toContain('encore-offers');
    expect(sections.indexOf('encore-offers')).toBeLessThan(sections.indexOf('woocommerce-order-details'));
    await expect(page.locator('link#encore-offers-css').count()).resolves.toBe(1);
    await page.screenshot({ path: artifact('thankyou-offers.png'), fullPage: true });
  });

  test('following the offer link lands in the cart with both products and the coupon applied, the arguments gone', async () => {
    await Promise.all([page.waitForURL(/stand_in=cart/), page.click('a.encore-offer__cta')]);

    const landed = new URL(page.url());
    expect(landed.origin).toBe(state.wpUrl);
    expect(landed.searchParams.has('encore_add')).toBe(false);
    expect(landed.searchParams.has('encore_coupon')).toBe(false);
    const ids = await page.$$eval('tr.cart_item', (rows) => rows.map((r) => Number(r.getAttribute('data-product-id'))));
    expect(ids.sort()).toEqual([state.products.toner, state.products.paper].sort());
    await expect(page.locator('.woocommerce-message').textContent()).resolves.toBe('Coupon code applied successfully.');

    const offers = (await (await encore.signed('GET', `/v1/admin/orders/${orderId}/offers`)).json()) as { offers: { state: string; couponCode: string | null }[] };
    expect(offers.offers).toHaveLength(1);
    const { couponCode, state: offerState } = offers.offers[0]!;
    expect(offerState).toBe('clicked');
    expect(couponCode).toMatch(/^encore-[0-9a-z]+$/);
    await expect(page.locator('tr.cart-discount').getAttribute('data-coupon')).resolves.toBe(couponCode);
    // 15 % off toner and paper only: (39.00 + 5.99) × 0.15 = 6.75.
    await expect(page.locator('tr.cart-discount-total td').textContent()).resolves.toContain('6.75 PLN');
    await page.screenshot({ path: artifact('cart-after-offer-link.png'), fullPage: true });
  });

  test('opening the same link again leaves the cart as it was (no doubled quantities, no second coupon)', async () => {
    await page.goBack();
    await Promise.all([page.waitForURL(/stand_in=cart/), page.click('a.encore-offer__cta')]);
    await expect(page.locator('td.product-quantity').allTextContents()).resolves.toEqual(['1', '1']);
    await expect(page.locator('tr.cart-discount').count()).resolves.toBe(1);
  });

  test('with the service stopped, the page renders in time without offers and the plugin logs one line', async () => {
    // stop() closes the listening socket at once, then drains: a connection Chromium opened
    // ahead of use (to the offer link's origin) without sending a request holds the drain for
    // its full 10 s, until the browser closes in afterAll. The page is measured meanwhile.
    stopping = encore.stop();
    const order = await createPaidOrder(state, [state.products.printer]);
    const started = Date.now();
    await page.goto(order.receivedUrl, { waitUntil: 'load' });
    const elapsed = Date.now() - started;

    expect(elapsed).toBeLessThan(BUDGET_MS + MARGIN_MS);
    await expect(page.locator('.woocommerce-thankyou-order-received').count()).resolves.toBe(1);
    await expect(page.locator('.woocommerce-order-details td').first().textContent()).resolves.toContain('Laser printer LP-200');
    await expect(page.locator('footer.site-footer').count()).resolves.toBe(1);
    await expect(page.locator('section.encore-offers').count()).resolves.toBe(0);
    const lines = wcLog(state, 'encore').filter((l) => l.includes(`order ${order.id} `));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/WARNING Thank-you offers for order \d+ not shown: no answer: /);
    await page.screenshot({ path: artifact('thankyou-service-stopped.png'), fullPage: true });
  });

  test('with a service that accepts the connection and never answers, the page waits the budget and no longer', async () => {
    const sockets = new Set<Socket>();
    const silent: Server = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    connectPlugin(state, `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, TEST_SECRETS.ENCORE_SHIM_SECRET);
    try {
      const order = await createPaidOrder(state, [state.products.printer]);
      const started = Date.now();
      await page.goto(order.receivedUrl, { waitUntil: 'load' });
      const elapsed = Date.now() - started;

      expect(elapsed).toBeGreaterThanOrEqual(BUDGET_MS - 100);
      expect(elapsed).toBeLessThan(BUDGET_MS + MARGIN_MS);
      await expect(page.locator('.woocommerce-thankyou-order-received').count()).resolves.toBe(1);
      await expect(page.locator('section.encore-offers').count()).resolves.toBe(0);
      const lines = wcLog(state, 'encore').filter((l) => l.includes(`order ${order.id} `));
      expect(lines).toEqual([expect.stringMatching(/timed out after 1\.5 s \(the thank-you budget\)/)]);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  test('WordPress logged no PHP notice from the plugin on the way', () => {
    expect(pluginPhpErrors(state)).toEqual([]);
  });
});
