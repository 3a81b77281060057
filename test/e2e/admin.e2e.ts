import type { Page } from 'playwright-core';
import { TEST_SECRETS, type TestEncore } from '../support/encore';
import { artifact, createPaidOrder, launchBrowser, logInAsAdmin, pluginPhpErrors, readState, startEncoreForShop, type StackState, type TestBrowser } from './support/harness';

/**
 * A shop manager connects the plugin to a running Encore service, tests the connection, makes a
 * rule (first with a mistake the service catches) and reads the funnel — all through the real
 * WordPress admin in Chromium.
 */
describe('WooCommerce › Encore settings page', () => {
  let state: StackState;
  let encore: TestEncore;
  let browser: TestBrowser;
  let page: Page;

  beforeAll(async () => {
    state = readState();
    encore = await startEncoreForShop(state);
    browser = await launchBrowser();
    page = await browser.context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await encore?.stop();
  });

  /**
   * Clicks something that loads a new page and waits for it: the old page has the same
   * elements (tabs, tables), so reading on before the new one is there would read the old.
   */
  async function clickAndLoad(selector: string): Promise<void> {
    await Promise.all([page.waitForNavigation(), page.click(selector)]);
  }

  /** The cell next to a row heading of the health table. */
  const healthCell = (heading: string) => page.locator('table.encore-health tr', { has: page.locator('th', { hasText: heading }) }).locator('td');

  /** Types into the stand-in's product search above `selectId`, waits for the AJAX answer, picks `name`. */
  async function chooseProduct(selectId: string, term: string, productId: number): Promise<void> {
    const select = page.locator(`#${selectId}`);
    await page.locator(`input.wc-stand-in-product-search[aria-controls="${selectId}"]`).fill(term);
    await select.locator(`option[value="${productId}"]`).waitFor({ state: 'attached' });
    const chosen = await page.$$eval(`#${selectId} option:checked`, (options) => options.map((o) => o.getAttribute('value') ?? ''));
    await select.selectOption([...chosen, String(productId)]);
  }

  test('the admin logs in and opens Encore under the WooCommerce menu', async () => {
    await logInAsAdmin(page, state);
    expect(new URL(page.url()).pathname).toBe('/wp-admin/');

    await clickAndLoad('#adminmenu a.menu-top:has-text("WooCommerce")');
    await clickAndLoad('#adminmenu a[href="admin.php?page=encore"]');
    await expect(page.locator('.wrap.encore-admin h1').textContent()).resolves.toBe('Encore');
    await expect(page.locator('.nav-tab-active').textContent()).resolves.toBe('Connection');
  });

  test('saving the connection and testing it shows every check passing', async () => {
    await page.fill('#encore-service-url', encore.url);
    await page.fill('#encore-shim-secret', TEST_SECRETS.ENCORE_SHIM_SECRET);
    await clickAndLoad('input[type="submit"][value="Save settings"]');
    await expect(page.locator('.notice-success').textContent()).resolves.toContain('Settings saved.');
    await expect(page.inputValue('#encore-service-url')).resolves.toBe(encore.url);

    await clickAndLoad('input[type="submit"][value="Test connection"]');
    // The plugin's success wording is a "Yes" per check (no single "connected" line).
    await expect(healthCell('Service reachable').textContent()).resolves.toContain('Yes');
    await expect(healthCell('Signature accepted').textContent()).resolves.toContain('Yes');
    await expect(healthCell('Redis').textContent()).resolves.toContain('Yes');
    // The service reached the stand-in's REST API with its consumer key.
    await expect(healthCell('WooCommerce reachable from the service').textContent()).resolves.toContain('Yes');
    await expect(page.locator('.encore-status--bad', { hasText: /^No$/ }).count()).resolves.toBe(0);
    await page.screenshot({ path: artifact('settings-connection.png'), fullPage: true });
  });

  test('a rule with a 150 % discount comes back with the service’s message beside the amount, values kept', async () => {
    await clickAndLoad('.nav-tab:has-text("Rules")');
    await clickAndLoad('a.page-title-action:has-text("Add rule")');
    await page.fill('#encore-name', 'Printer → toner');
    await chooseProduct('encore-trigger-products', 'Laser', state.products.printer);
    await chooseProduct('encore-offer-products', 'Toner', state.products.toner);
    await page.selectOption('#encore-discount-type', 'percent');
    await page.fill('#encore-discount-amount', '150');
    await clickAndLoad('input[type="submit"][value="Create rule"]');

    await expect(page.locator('.notice-error').first().textContent()).resolves.toContain('The rule was not saved');
    await expect(page.locator('#encore-error-discount_amount').textContent()).resolves.toBe('a percent discount is at most 100');
    await expect(page.getAttribute('#encore-discount-amount', 'aria-invalid')).resolves.toBe('true');
    await expect(page.inputValue('#encore-discount-amount')).resolves.toBe('150');
    await expect(page.inputValue('#encore-name')).resolves.toBe('Printer → toner');
    await expect(page.locator('#encore-trigger-products option:checked').textContent()).resolves.toBe(`Laser printer LP-200 (#${state.products.printer})`);
    await expect(page.locator('#encore-offer-products option:checked').textContent()).resolves.toBe(`Toner cartridge TN-200 (#${state.products.toner})`);
    await page.screenshot({ path: artifact('settings-rule-field-error.png'), fullPage: true });
  });

  test('corrected to 15 %, the rule is created in the service and listed', async () => {
    await page.fill('#encore-discount-amount', '15');
    await clickAndLoad('input[type="submit"][value="Create rule"]');
    await expect(page.locator('.notice-success').textContent()).resolves.toContain('Rule created.');
    const row = page.locator('table.encore-rules tbody tr', { hasText: 'Printer → toner' });
    await expect(row.textContent()).resolves.toContain('Toner cartridge TN-200');
    await expect(row.textContent()).resolves.toContain('15.00% off');

    const listed = (await (await encore.signed('GET', '/v1/admin/rules')).json()) as { rules: Record<string, unknown>[] };
    expect(listed.rules).toHaveLength(1);
    expect(listed.rules[0]).toMatchObject({
      name: 'Printer → toner',
      enabled: true,
      trigger: { productIds: [state.products.printer] },
      offer: { productIds: [state.products.toner], discount: { type: 'percent', amount: '15.00' } },
      channels: { thankYou: true },
    });
  });

  test('after one buyer saw an offer, the funnel for the period shows it issued and shown', async () => {
    const order = await createPaidOrder(state, [state.products.printer]);
    const buyer = await browser.context.newPage();
    await buyer.goto(order.receivedUrl);
    await buyer.locator('section.encore-offers').waitFor();
    await buyer.close();

    const today = new Date().toISOString().slice(0, 10);
    await clickAndLoad('.nav-tab:has-text("Funnel")');
    await page.fill('#encore-from', today);
    await page.fill('#encore-to', today);
    await clickAndLoad('form.encore-period input[type="submit"]');
    const cells = page.locator('table.encore-funnel tbody tr', { hasText: 'Printer → toner' }).locator('td');
    // Issued, Shown, Emailed, Clicked, Redeemed, Revenue.
    await expect(cells.allTextContents()).resolves.toEqual(['1', '1', '0', '0', '0', '—']);
    await expect(page.inputValue('#encore-from')).resolves.toBe(today);
    await page.screenshot({ path: artifact('settings-funnel.png'), fullPage: true });
  });

  test('WordPress logged no PHP notice from the plugin on the way', () => {
    expect(pluginPhpErrors(state)).toEqual([]);
  });
});
