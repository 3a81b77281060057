import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureRedisBinary, startRedisServer } from '../../src/dev/redis-server';

/** Starts one real redis-server for the whole run; each test then uses its own namespace. */
export default async function globalSetup(): Promise<void> {
  ensureRedisBinary();
  const dir = mkdtempSync(join(tmpdir(), 'encore-test-redis-'));
  const server = await startRedisServer(dir, { persist: false });
  process.env.ENCORE_TEST_REDIS_SOCKET = server.socket;
  (globalThis as { __encoreRedis?: typeof server }).__encoreRedis = server;
}
