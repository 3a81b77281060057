import type { Stack } from './support/stack';

/** Stops PHP, MariaDB and redis-server and removes the run's temp folder. */
export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __encoreE2eStack?: Stack }).__encoreE2eStack?.stop();
}
