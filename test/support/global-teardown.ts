import type { RedisServerHandle } from '../../src/dev/redis-server';

export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as { __encoreRedis?: RedisServerHandle }).__encoreRedis;
  await server?.stop();
}
