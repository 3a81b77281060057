import { createRedis } from '../../src/storage/redis';
import { coalesceWrites } from '../../src/storage/write-batch';
import { connectTestRedis, type TestRedis } from '../support/redis';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('coalesceWrites on real Redis', () => {
  let t: TestRedis;
  beforeEach(async () => {
    t = await connectTestRedis();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('sends the commands of one turn in a single socket write, in order, each with its own reply', async () => {
    const socket = t.redis.stream;
    const writes: number[] = [];
    // Observe what reaches the socket's write path (the bytes still go to Redis unchanged).
    const writev = socket._writev?.bind(socket);
    const write = socket._write.bind(socket);
    socket._writev = (chunks, cb) => (writes.push(chunks.length), writev!(chunks, cb));
    socket._write = (chunk, enc, cb) => (writes.push(1), write(chunk, enc, cb));
    try {
      const key = t.keys.orderSnapshot(1);
      coalesceWrites(t.redis);
      coalesceWrites(t.redis); // a second call in the same turn changes nothing
      expect(socket.writableCorked).toBe(1);
      const replies = Promise.all([t.redis.set(key, 'first'), t.redis.append(key, '-second'), t.redis.get(key)]);
      expect(writes).toEqual([]);
      await nextTurn();
      expect(socket.writableCorked).toBe(0);
      expect(writes).toEqual([3]);
      await expect(replies).resolves.toEqual(['OK', 'first-second'.length, 'first-second']);
    } finally {
      delete (socket as { _writev?: unknown })._writev;
      delete (socket as { _write?: unknown })._write;
    }
  });

  it('corks again in a later turn, and commands sent after the turn go out as before', async () => {
    coalesceWrites(t.redis);
    await nextTurn();
    await expect(t.redis.ping()).resolves.toBe('PONG');
    coalesceWrites(t.redis);
    expect(t.redis.stream.writableCorked).toBe(1);
    await expect(t.redis.ping()).resolves.toBe('PONG');
    expect(t.redis.stream.writableCorked).toBe(0);
  });

  it('leaves a connection that is not connected yet to ioredis, which sends its commands once connected', async () => {
    const redis = createRedis({ path: process.env.ENCORE_TEST_REDIS_SOCKET! }, { name: 'write-batch-lazy' });
    try {
      expect(() => coalesceWrites(redis)).not.toThrow();
      await expect(redis.ping()).resolves.toBe('PONG');
    } finally {
      await redis.quit();
    }
  });
});
