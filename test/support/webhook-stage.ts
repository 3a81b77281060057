import { Queue, type Job } from 'bullmq';
import { startTestEncore, type TestEncore } from './encore';

/** An api-role service (no workers, so accepted jobs stay put) with its orders queue. */
export interface WebhookStage {
  encore: TestEncore;
  /** Every order job, whatever its state. */
  queued(): Promise<Job[]>;
  /** The order keys (snapshots) under the test namespace. */
  snapshotKeys(): Promise<string[]>;
  stop(): Promise<void>;
}

export async function startWebhookStage(): Promise<WebhookStage> {
  const encore = await startTestEncore({ storeUrl: 'http://127.0.0.1:9', env: { ENCORE_ROLE: 'api' } });
  const queue = new Queue('orders', { connection: encore.redis, prefix: encore.keys.bullPrefix });
  return {
    encore,
    queued: () => queue.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']),
    snapshotKeys: () => encore.redis.keys(`${encore.keys.prefix}order:*`),
    async stop() {
      await queue.close();
      await encore.stop();
    },
  };
}

/**
 * A fresh stage for each test of the calling `describe` (started in `beforeEach`, stopped in
 * `afterEach`); the returned object reads the current one.
 */
export function useWebhookStage(): WebhookStage {
  let current: WebhookStage | undefined;
  beforeEach(async () => {
    current = await startWebhookStage();
  });
  afterEach(async () => {
    await current?.stop();
    current = undefined;
  });
  const now = (): WebhookStage => {
    if (!current) throw new Error('the webhook stage runs only inside a test');
    return current;
  };
  return {
    get encore() {
      return now().encore;
    },
    queued: () => now().queued(),
    snapshotKeys: () => now().snapshotKeys(),
    stop: () => now().stop(),
  };
}
