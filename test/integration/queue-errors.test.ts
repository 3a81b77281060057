import { createQueues, QUEUE_NAMES } from '../../src/queue/queues';
import { createRedis, quitQuietly } from '../../src/storage/redis';
import { connectTestRedis, type TestRedis } from '../support/redis';

/**
 * A connection error reaches every BullMQ Queue on that connection (it re-emits it). Without a
 * listener BullMQ prints the error's stack to stderr, which a Redis restart did in the fault
 * suite; the queues hand it to the caller's log instead.
 */
describe('queue errors', () => {
  let t: TestRedis;
  beforeEach(async () => {
    t = await connectTestRedis();
  });
  afterEach(() => t.cleanup());

  it('hands a connection error to onError once per queue, and nothing reaches stderr', async () => {
    const connection = createRedis({ path: process.env.ENCORE_TEST_REDIS_SOCKET! }, { onError: () => {} });
    const heard: string[] = [];
    const queues = createQueues(connection, t.keys, (err) => heard.push(err.message));
    const printed: unknown[][] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void printed.push(args);
    try {
      // Ready first: BullMQ wires its error forwarding while it initialises each queue.
      await queues.counts();
      connection.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      expect(heard).toEqual(QUEUE_NAMES.map(() => 'write EPIPE'));
      expect(printed).toEqual([]);
    } finally {
      console.error = original;
      await queues.close();
      await quitQuietly(connection);
    }
  });
});
