import { ConfigError, loadConfig } from '../../src/config';

const TOKEN_SECRET = 'tok-secret-0123456789abcdef0123456789';
const NEXT_SECRET = 'tok-secret-next-abcdefghijklmnopqrstuv';

/** The environment a production deployment sets: the store and the secrets, nothing else. */
const productionEnv = (): Record<string, string> => ({
  ENCORE_STORE_URL: 'https://sklep.example.pl/',
  WC_CONSUMER_KEY: 'ck_live_5f6a7b8c9d0e',
  WC_CONSUMER_SECRET: 'cs_live_1a2b3c4d5e6f',
  WC_WEBHOOK_SECRET: 'whsec8Hq2Lm4Np6Rt',
  ENCORE_SHIM_SECRET: 'shim-secret-Vb7Xc9Zq1',
  ENCORE_TOKEN_KEYS: `k1:${TOKEN_SECRET}`,
});

function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('loadConfig', () => {
  it('a production environment parses with the documented defaults', () => {
    expect(loadConfig(productionEnv())).toEqual({
      port: 8080,
      host: '0.0.0.0',
      redisUrl: undefined,
      publicUrl: 'http://localhost:8080',
      storeUrl: 'https://sklep.example.pl',
      wc: { consumerKey: 'ck_live_5f6a7b8c9d0e', consumerSecret: 'cs_live_1a2b3c4d5e6f', webhookSecret: 'whsec8Hq2Lm4Np6Rt', timeoutMs: 5000 },
      shimSecret: 'shim-secret-Vb7Xc9Zq1',
      tokenKeys: [{ kid: 'k1', secret: TOKEN_SECRET }],
      paidStatuses: ['processing', 'completed'],
      maxOffers: 3,
      role: 'all',
      namespace: 'encore',
      retentionDays: 180,
      clickRateLimitPerMinute: 60,
      trustProxy: 0,
      workerConcurrency: 10,
      jobLockMs: 30000,
      logLevel: 'info',
      email: {
        smtpUrl: undefined,
        outboxDir: 'var/outbox',
        from: 'no-reply@sklep.example.pl',
        unsubscribeMailto: 'no-reply@sklep.example.pl',
        capDays: 7,
        consentMetaKey: undefined,
        scannerWindowSeconds: 60,
        defaultLocale: 'en_US',
      },
      reconcileMinutes: 15,
      cobuyHalfLifeDays: 90,
    });
  });

  it('reads numbers, lists and URLs from their text', () => {
    const config = loadConfig({
      ...productionEnv(),
      PORT: '443',
      ENCORE_PUBLIC_URL: 'https://encore.example.com///',
      ENCORE_PAID_STATUSES: ' processing , completed, shipped ,',
      ENCORE_MAX_OFFERS: '5',
      ENCORE_ROLE: 'worker',
    });
    expect(config).toMatchObject({
      port: 443,
      publicUrl: 'https://encore.example.com',
      paidStatuses: ['processing', 'completed', 'shipped'],
      maxOffers: 5,
      role: 'worker',
    });
  });

  it('an empty variable counts as unset, and unknown variables are ignored', () => {
    const config = loadConfig({ ...productionEnv(), PORT: '', ENCORE_ROLE: '', HOME: '/root', ENCORE_UNKNOWN: 'x' });
    expect(config.port).toBe(8080);
    expect(config.role).toBe('all');
  });

  describe('ENCORE_TOKEN_KEYS', () => {
    it('keeps every key in order: the first signs, all verify', () => {
      const config = loadConfig({ ...productionEnv(), ENCORE_TOKEN_KEYS: `k2:${NEXT_SECRET}, k1:${TOKEN_SECRET}` });
      expect(config.tokenKeys).toEqual([
        { kid: 'k2', secret: NEXT_SECRET },
        { kid: 'k1', secret: TOKEN_SECRET },
      ]);
    });

    it('a secret may itself hold a colon', () => {
      const config = loadConfig({ ...productionEnv(), ENCORE_TOKEN_KEYS: `k1:${TOKEN_SECRET}:more` });
      expect(config.tokenKeys).toEqual([{ kid: 'k1', secret: `${TOKEN_SECRET}:more` }]);
    });

    it.each([
      ['a secret shorter than 32 characters', 'k1:short-secret-1234'],
      ['the same kid twice', `k1:${TOKEN_SECRET},k1:${NEXT_SECRET}`],
      ['a kid with characters outside [A-Za-z0-9_-]', `k.1:${TOKEN_SECRET}`],
      ['an empty kid', `:${TOKEN_SECRET}`],
      ['a kid longer than 32 characters', `${'k'.repeat(33)}:${TOKEN_SECRET}`],
      ['no pair at all', ' , '],
      ['a word', 'bad'],
    ])('rejects %s', (_what, value) => {
      expect(configError({ ...productionEnv(), ENCORE_TOKEN_KEYS: value }).keys).toEqual(['ENCORE_TOKEN_KEYS']);
    });

    // Split anyway, a bare secret's first characters would become the kid, which every offer
    // link's JWT header carries: nearly the whole signing secret, published.
    it('rejects a bare secret without a kid (its kid would leak the secret into every token header)', () => {
      const bare = '0123456789abcdef0123456789abcdef';
      expect(configError({ ...productionEnv(), ENCORE_TOKEN_KEYS: bare }).keys).toEqual(['ENCORE_TOKEN_KEYS']);
    });
  });

  describe('ENCORE_COBUY_HALF_LIFE_DAYS', () => {
    it('reads whole days', () => {
      expect(loadConfig({ ...productionEnv(), ENCORE_COBUY_HALF_LIFE_DAYS: '30' }).cobuyHalfLifeDays).toBe(30);
    });

    // Below 14 days the growing weights would overflow a double within decades (see domain/cobuy.ts).
    it.each(['13', '3651', '1.5', 'ninety'])('rejects %s', (value) => {
      expect(configError({ ...productionEnv(), ENCORE_COBUY_HALF_LIFE_DAYS: value }).keys).toEqual(['ENCORE_COBUY_HALF_LIFE_DAYS']);
    });
  });

  describe('REDIS_URL', () => {
    it.each(['redis://localhost:6379', 'rediss://user:pass@redis.example.com:6380/2', 'unix:///x.sock', 'unix:///run/redis/redis.sock'])(
      'accepts %s',
      (url) => {
        expect(loadConfig({ ...productionEnv(), REDIS_URL: url }).redisUrl).toBe(url);
      },
    );

    it.each(['http://localhost:6379', 'https://redis.example.com', 'localhost:6379', 'not a url'])('rejects %s', (url) => {
      expect(configError({ ...productionEnv(), REDIS_URL: url }).keys).toEqual(['REDIS_URL']);
    });
  });

  describe('REDIS_CLUSTER_NODES', () => {
    it('splits the seed nodes, trimming spaces', () => {
      const config = loadConfig({ ...productionEnv(), NODE_ENV: 'production', REDIS_CLUSTER_NODES: 'redis://10.0.0.1:7000, redis://10.0.0.2:7001' });
      expect(config.redisClusterNodes).toEqual(['redis://10.0.0.1:7000', 'redis://10.0.0.2:7001']);
      expect(config.redisUrl).toBeUndefined();
    });

    it('accepts TLS seeds with credentials', () => {
      const nodes = 'rediss://encore:pw@c1.example.com:6380,rediss://encore:pw@c2.example.com:6380';
      expect(loadConfig({ ...productionEnv(), REDIS_CLUSTER_NODES: nodes }).redisClusterNodes).toHaveLength(2);
    });

    it('is mutually exclusive with REDIS_URL, and says so without echoing either value', () => {
      const err = configError({ ...productionEnv(), REDIS_URL: 'redis://LEAK1:6379', REDIS_CLUSTER_NODES: 'redis://LEAK2:7000' });
      expect(err.keys).toEqual(['REDIS_CLUSTER_NODES']);
      expect(err.message).toMatch(/REDIS_CLUSTER_NODES and REDIS_URL are mutually exclusive/);
      expect(err.message).not.toMatch(/LEAK/);
    });

    it.each(['http://10.0.0.1:7000', 'unix:///run/redis.sock', '10.0.0.1:7000', ',', 'redis://a:7000,rediss://b:7000'])('rejects %s', (nodes) => {
      expect(configError({ ...productionEnv(), REDIS_CLUSTER_NODES: nodes }).keys).toEqual(['REDIS_CLUSTER_NODES']);
    });

    it('satisfies production instead of REDIS_URL; without either production is refused', () => {
      expect(loadConfig({ ...productionEnv(), NODE_ENV: 'production', REDIS_CLUSTER_NODES: 'redis://10.0.0.1:7000' }).redisClusterNodes).toHaveLength(1);
      expect(configError({ ...productionEnv(), NODE_ENV: 'production' }).keys).toEqual(['REDIS_URL']);
    });
  });

  it('the store URL must be http or https', () => {
    expect(configError({ ...productionEnv(), ENCORE_STORE_URL: 'ftp://sklep.example.pl' }).keys).toEqual(['ENCORE_STORE_URL']);
  });

  it.each([
    ['PORT', '65536'],
    ['PORT', '80.5'],
    ['ENCORE_MAX_OFFERS', '0'],
    ['ENCORE_MAX_OFFERS', '21'],
    ['ENCORE_PAID_STATUSES', 'wc-Processing'],
    ['ENCORE_PAID_STATUSES', ','],
    ['ENCORE_REDIS_NAMESPACE', 'Encore:prod'],
    ['WC_TIMEOUT_MS', '99'],
    ['LOG_LEVEL', 'verbose'],
  ])('rejects %s=%j', (key, value) => {
    expect(configError({ ...productionEnv(), [key]: value }).keys).toEqual([key]);
  });

  describe('several mistakes at once', () => {
    const secrets = {
      WC_CONSUMER_SECRET: 'cs_LEAK',
      WC_WEBHOOK_SECRET: 'LEAK2',
      ENCORE_SHIM_SECRET: 'LEAK3-shim',
      ENCORE_TOKEN_KEYS: 'k1:LEAK4-short',
    };
    const env = {
      ...productionEnv(),
      ...secrets,
      PORT: 'abc-LEAK5',
      ENCORE_MAX_OFFERS: '0',
      ENCORE_ROLE: 'LEAK6',
      REDIS_URL: 'http://LEAK7:pw@redis',
      ENCORE_STORE_URL: undefined,
    };

    it('one ConfigError names every bad key, once', () => {
      const err = configError(env);
      expect([...err.keys].sort()).toEqual(
        [
          'ENCORE_MAX_OFFERS',
          'ENCORE_ROLE',
          'ENCORE_SHIM_SECRET',
          'ENCORE_STORE_URL',
          'ENCORE_TOKEN_KEYS',
          'PORT',
          'REDIS_URL',
          'WC_CONSUMER_SECRET',
          'WC_WEBHOOK_SECRET',
        ].sort(),
      );
      expect(err.problems).toHaveLength(err.keys.length);
      for (const key of err.keys) expect(err.message).toContain(key);
    });

    it('the message holds none of the values given', () => {
      const err = configError(env);
      expect(err.message).not.toMatch(/LEAK/);
      expect(err.problems.join(' ')).not.toMatch(/LEAK/);
      expect(err.message).not.toContain('pw@redis');
      expect(JSON.stringify({ ...err, message: err.message })).not.toMatch(/LEAK/);
    });
  });
});
