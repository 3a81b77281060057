import { TTL } from '../../src/storage/keys';
import { createReplayStore } from '../../src/storage/replay-store';
import { connectTestRedis, type TestRedis } from '../support/redis';

describe('replay store on real Redis', () => {
  let t: TestRedis;
  beforeEach(async () => {
    t = await connectTestRedis();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('accepts an Encore-Id the first time and refuses it the second time', async () => {
    const store = createReplayStore(t.redis, t.keys);
    await expect(store.markSeen('msg_0001')).resolves.toBe(true);
    await expect(store.markSeen('msg_0001')).resolves.toBe(false);
    await expect(store.markSeen('msg_0002')).resolves.toBe(true);
  });

  it('remembers an id only for the replay window', async () => {
    const store = createReplayStore(t.redis, t.keys);
    await store.markSeen('msg_ttl');
    const ttl = await t.redis.ttl(t.keys.signedRequestId('msg_ttl'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(TTL.signedRequestIdSeconds);
    expect(ttl).toBeLessThanOrEqual(600);
  });

  it('a second marking does not extend the window', async () => {
    const store = createReplayStore(t.redis, t.keys);
    const key = t.keys.signedRequestId('msg_keep');
    await store.markSeen('msg_keep');
    await t.redis.expire(key, 42);
    await store.markSeen('msg_keep');
    expect(await t.redis.ttl(key)).toBeLessThanOrEqual(42);
  });

  it('two API processes racing on one id: exactly one wins', async () => {
    const other = t.redis.duplicate();
    try {
      const a = createReplayStore(t.redis, t.keys);
      const b = createReplayStore(other, t.keys);
      const results = await Promise.all([a.markSeen('msg_race'), b.markSeen('msg_race')]);
      expect(results.sort()).toEqual([false, true]);
    } finally {
      await other.quit();
    }
  });
});

describe('connectTestRedis', () => {
  it('gives each call its own namespace and cleanup removes only that namespace', async () => {
    const a = await connectTestRedis();
    const b = await connectTestRedis();
    try {
      expect(a.namespace).not.toBe(b.namespace);
      await a.redis.set(a.keys.signedRequestId('x'), '1');
      await a.redis.set(a.keys.offer('o1'), '1');
      await b.redis.set(b.keys.signedRequestId('x'), '1');
      await a.cleanup();
      expect(await b.redis.exists(a.keys.signedRequestId('x'), a.keys.offer('o1'))).toBe(0);
      expect(await b.redis.exists(b.keys.signedRequestId('x'))).toBe(1);
    } finally {
      await b.cleanup();
    }
  });
});
