import { join } from 'node:path';
import { startStack, STATE_ENV, type Stack } from './support/stack';

/**
 * Once per `npm run test:e2e`: MariaDB, redis-server and WordPress with Encore and the
 * WooCommerce stand-in. Test files read the state file and start their own Encore service.
 */
export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const stack = await startStack((line) => process.stdout.write(`\n${line}\n`));
  process.env[STATE_ENV] = join(stack.state.root, 'state.json');
  // The Encore service in each test file uses this redis-server (test/support/encore.ts).
  process.env.ENCORE_TEST_REDIS_SOCKET = stack.state.redisSocket;
  (globalThis as { __encoreE2eStack?: Stack }).__encoreE2eStack = stack;
  process.stdout.write(`\nWordPress ${stack.state.wpUrl} ready in ${((Date.now() - started) / 1000).toFixed(1)} s (${stack.state.root})\n`);
}
