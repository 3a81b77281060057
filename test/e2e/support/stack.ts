import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureRedisBinary, startRedisServer } from '../../../src/dev/redis-server';
import { TEST_SECRETS } from '../../support/encore';
import { startMariaDb } from './mariadb';
import { ensureE2ePackages } from './packages';
import { freePort } from './processes';
import { createProduct } from './store';
import { installWordPress, startPhpServer } from './wordpress';

/** What the tests need to know about the running stack (written to `state.json` in its dir). */
export interface StackState {
  /** Temp folder holding everything of this run. */
  root: string;
  wpDir: string;
  /** WordPress home URL: http://127.0.0.1:<port>. */
  wpUrl: string;
  /** WP_DEBUG_LOG file: PHP notices and warnings. */
  debugLog: string;
  /** WooCommerce stand-in's log folder (wc_get_logger). */
  wcLogDir: string;
  redisSocket: string;
  admin: { user: string; password: string };
  rest: { key: string; secret: string };
  products: { printer: number; toner: number; paper: number };
}

export interface Stack {
  state: StackState;
  stop(): Promise<void>;
}

/** Environment variable naming the state file, for the test files (set by globalSetup). */
export const STATE_ENV = 'ENCORE_E2E_STATE';

/**
 * Starts MariaDB, redis-server and WordPress (PHP's built-in server) in a fresh temp folder,
 * installs WordPress with both plugins active, and creates the shop's three products.
 * `stop()` ends every process and removes the folder (kept when ENCORE_E2E_KEEP=1).
 */
export async function startStack(log: (line: string) => void = () => {}): Promise<Stack> {
  ensureE2ePackages(log);
  ensureRedisBinary(log);
  const root = mkdtempSync(join(tmpdir(), 'encore-e2e-'));
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const fn of stops.reverse()) await fn().catch(() => {});
    if (process.env.ENCORE_E2E_KEEP !== '1') rmSync(root, { recursive: true, force: true });
  };
  try {
    // MariaDB takes a second or two to start: redis-server starts meanwhile.
    const starting = startMariaDb(join(root, 'mariadb'), 'wordpress');
    const redis = await startRedisServer(join(root, 'redis'), { persist: false });
    stops.push(redis.stop);
    const db = await starting;
    stops.push(db.stop);
    const port = await freePort();
    const wpUrl = `http://127.0.0.1:${port}`;
    const admin = { user: 'admin', password: 'e2e-Admin-Passw0rd' };
    const rest = { key: TEST_SECRETS.WC_CONSUMER_KEY, secret: TEST_SECRETS.WC_CONSUMER_SECRET };
    const wpDir = installWordPress({
      dir: root,
      dbSocket: db.socket,
      database: 'wordpress',
      url: wpUrl,
      adminPassword: admin.password,
      restKey: rest.key,
      restSecret: rest.secret,
    });
    const php = await startPhpServer(wpDir, wpUrl, join(root, 'php-server.log'));
    stops.push(php.stop);
    const store = { wpUrl, rest };
    const products = {
      printer: await createProduct(store, 'Laser printer LP-200', '199.00'),
      toner: await createProduct(store, 'Toner cartridge TN-200', '39.00'),
      paper: await createProduct(store, 'Paper A4, 500 sheets', '5.99'),
    };
    const state: StackState = {
      root,
      wpDir,
      wpUrl,
      debugLog: join(root, 'wp-debug.log'),
      wcLogDir: join(wpDir, 'wp-content/wc-logs'),
      redisSocket: redis.socket,
      admin,
      rest,
      products,
    };
    writeFileSync(join(root, 'state.json'), JSON.stringify(state, null, 2));
    return { state, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The running stack, in a test file. */
export function readState(): StackState {
  const file = process.env[STATE_ENV];
  if (!file) throw new Error(`${STATE_ENV} is not set: run the end-to-end tests with "npm run test:e2e".`);
  return JSON.parse(readFileSync(file, 'utf8')) as StackState;
}
