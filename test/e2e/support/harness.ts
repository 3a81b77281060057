import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startTestEncore, type TestEncore } from '../../support/encore';
import { freePort } from './processes';
import type { StackState } from './stack';
import { wpCli } from './wordpress';

export { readState, type StackState } from './stack';
export { createPaidOrder, type TestOrder } from './store';
export { ENCORE_PLUGIN, wpCli } from './wordpress';

/** Screenshots and other files worth keeping from a run (gitignored). */
export const ARTIFACTS = resolve(__dirname, '../../../test-artifacts/e2e');

/**
 * The Encore service in-process, pointed at the test WordPress: `ENCORE_STORE_URL` is its home
 * URL (the REST client signs OAuth 1.0a against it) and `ENCORE_PUBLIC_URL` the service's own
 * loopback address, so offer links lead back to it. The port is chosen before the start
 * because the public URL must name it.
 */
export async function startEncoreForShop(state: StackState): Promise<TestEncore> {
  const port = await freePort();
  return startTestEncore({
    storeUrl: state.wpUrl,
    env: { PORT: String(port), ENCORE_PUBLIC_URL: `http://127.0.0.1:${port}`, ENCORE_DEFAULT_LOCALE: 'en_US' },
  });
}

/** Points the plugin at a service without the settings page (the admin test uses the page). */
export function connectPlugin(state: StackState, serviceUrl: string, secret: string): void {
  wpCli(state.wpDir, 'option-set', 'encore_service_url', serviceUrl);
  wpCli(state.wpDir, 'option-set', 'encore_shim_secret', secret);
}

/**
 * A real desktop Chrome's User-Agent. Headless Chromium says "HeadlessChrome", which Encore
 * rightly treats as a link scanner (a "continue" page instead of the redirect); the tests
 * stand for a person's browser.
 */
const DESKTOP_CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';

export interface TestBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Debian's Chromium, headless, with a fresh profile folder that `close()` removes. */
export async function launchBrowser(): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'encore-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    userAgent: DESKTOP_CHROME,
    viewport: { width: 1280, height: 900 },
    locale: 'en-US',
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Logs the shop's admin in through wp-login.php and waits for the dashboard. The login page
 * focuses and selects the username field 200 ms after it is parsed: typing before that can
 * land half in one field and half in the other (a person waits for the cursor too), so the
 * form is filled only once the focus is there. A refused login fails with WordPress's message.
 */
export async function logInAsAdmin(page: Page, state: StackState): Promise<void> {
  await page.goto(`${state.wpUrl}/wp-login.php`);
  await page.locator('#user_login:focus').waitFor();
  await page.fill('#user_login', state.admin.user);
  await page.fill('#user_pass', state.admin.password);
  await Promise.all([page.waitForNavigation(), page.click('#wp-submit')]);
  if (!new URL(page.url()).pathname.startsWith('/wp-admin/')) {
    const refusal = await page.locator('#login_error').textContent({ timeout: 1000 }).catch(() => null);
    throw new Error(`the admin login ended at ${page.url()}: ${refusal?.trim() || 'no message from WordPress'}`);
  }
}

/** Path of a screenshot under test-artifacts/e2e/ (the folder is made on first use). */
export function artifact(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}

/** PHP notices, warnings and errors that WordPress logged from the Encore plugin's files. */
export function pluginPhpErrors(state: StackState): string[] {
  if (!existsSync(state.debugLog)) return [];
  return readFileSync(state.debugLog, 'utf8')
    .split('\n')
    .filter((line) => line.includes('/plugins/encore/'));
}

/** Lines of the stand-in's WooCommerce log for a source (Encore logs as "encore"). */
export function wcLog(state: StackState, source: string): string[] {
  const file = join(state.wcLogDir, `${source}.log`);
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}
