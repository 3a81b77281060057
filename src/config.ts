import { z } from 'zod';

/**
 * The one configuration schema. Every key is an environment variable, described with its
 * unit; defaults exist only where they are safe. Parsed once at start by `loadConfig`.
 */
const csv = (value: string) =>
  value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);

const intIn = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const secret = (min: number) => z.string().min(min, `must be at least ${min} characters`);

/** `kid:secret,kid:secret` — the first key signs, all of them verify (rotation). */
const tokenKeys = z
  .string()
  .transform((value, ctx) => {
    const keys = csv(value).map((pair) => {
      // A bare secret has no kid; splitting it anyway would publish most of it as the kid.
      const at = pair.indexOf(':');
      return at < 0 ? { kid: '', secret: '' } : { kid: pair.slice(0, at), secret: pair.slice(at + 1) };
    });
    const bad = keys.some((k) => !/^[A-Za-z0-9_-]{1,32}$/.test(k.kid) || k.secret.length < 32);
    const kids = new Set(keys.map((k) => k.kid));
    if (keys.length === 0 || bad || kids.size !== keys.length) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be kid:secret pairs separated by commas; kid [A-Za-z0-9_-]{1,32}, unique; secret ≥ 32 characters',
      });
      return z.NEVER;
    }
    return keys;
  });

const statuses = z
  .string()
  .default('processing,completed')
  .transform(csv)
  .pipe(z.array(z.string().regex(/^[a-z0-9_-]+$/, 'statuses are lower-case slugs without the wc- prefix')).min(1));

/** Redis Cluster seeds: `redis://[user:password@]host:port,…`; `rediss://` means TLS, for all of them. */
const clusterNodes = z
  .string()
  .transform(csv)
  .pipe(
    z
      .array(z.url({ protocol: /^rediss?$/, error: 'seed nodes must be redis://host:port or rediss://host:port' }))
      .min(1, 'must name at least one seed node')
      .refine((urls) => new Set(urls.map((u) => u.startsWith('rediss:'))).size <= 1, 'seed nodes must all use redis:// or all rediss://'),
  );

const baseUrl = z
  .url({ protocol: /^https?$/ })
  .transform((value) => value.replace(/\/+$/, ''));

const schemaShape = {
  PORT: intIn(0, 65535, 8080).describe('TCP port of the HTTP API (WooCommerce delivers only to 80, 443 and 8080)'),
  HOST: z.string().min(1).default('0.0.0.0').describe('interface the HTTP API binds to'),
  REDIS_URL: z
    .url({ protocol: /^(rediss?|unix)$/ })
    .optional()
    .describe('redis://, rediss:// or unix:///path/to/redis.sock; unset (and no REDIS_CLUSTER_NODES) starts a private redis-server under var/'),
  REDIS_CLUSTER_NODES: clusterNodes
    .optional()
    .describe('Redis Cluster seed nodes, redis://host:port or rediss://host:port (TLS) separated by commas; instead of REDIS_URL'),
  ENCORE_PUBLIC_URL: baseUrl.default('http://localhost:8080').describe('public base URL of this service; offer links are <url>/o/<token>'),
  ENCORE_STORE_URL: baseUrl.describe('the WooCommerce store URL; also the base of its REST API'),
  WC_CONSUMER_KEY: secret(8).describe('WooCommerce REST consumer key (ck_…)'),
  WC_CONSUMER_SECRET: secret(8).describe('WooCommerce REST consumer secret (cs_…)'),
  WC_WEBHOOK_SECRET: secret(8).describe('secret of the store’s Encore webhooks'),
  WC_TIMEOUT_MS: intIn(100, 60000, 5000).describe('timeout of every WooCommerce REST call, milliseconds'),
  ENCORE_SHIM_SECRET: secret(16).describe('shared secret of signed requests between the WordPress plugin and this service'),
  ENCORE_TOKEN_KEYS: tokenKeys.describe('offer-link signing keys, kid:secret,…; the first signs'),
  ENCORE_PAID_STATUSES: statuses.describe('order statuses that count as paid, comma-separated'),
  ENCORE_MAX_OFFERS: intIn(1, 20, 3).describe('most offers made per order, count'),
  ENCORE_ROLE: z.enum(['all', 'api', 'worker']).default('all').describe('which parts this process runs'),
  ENCORE_REDIS_NAMESPACE: z
    .string()
    .regex(/^[a-z0-9_-]{1,32}$/, 'lower-case letters, digits, _ and -, at most 32')
    .default('encore')
    .describe('hash tag of every Redis key: {namespace}:…'),
  ENCORE_RETENTION_DAYS: intIn(1, 3650, 180).describe('how long offers and personal data are kept after they expire, days'),
  ENCORE_CLICK_RATE_LIMIT: intIn(1, 100000, 60).describe('offer-link opens allowed per IP address per minute, count'),
  ENCORE_TRUST_PROXY: intIn(0, 10, 0).describe('reverse-proxy hops in front of the service, for client IPs; 0 = none'),
  ENCORE_WORKER_CONCURRENCY: intIn(1, 200, 10).describe('jobs one worker process runs at once, count'),
  ENCORE_JOB_LOCK_MS: intIn(1000, 600000, 30000).describe('how long a worker holds a job without renewing its lock; a crashed worker’s jobs are picked up again after about twice this, milliseconds'),
  SMTP_URL: z
    .url({ protocol: /^smtps?$/ })
    .optional()
    .describe('smtp:// or smtps:// URL of the mail server (user:password@host:port); unset writes .eml files to ENCORE_OUTBOX_DIR'),
  ENCORE_OUTBOX_DIR: z.string().min(1).default('var/outbox').describe('folder for .eml files when SMTP_URL is unset'),
  ENCORE_EMAIL_FROM: z
    .string()
    .regex(/^(?:"?[^"<>]*"?\s*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/, 'must be an address or "Name <address>"')
    .optional()
    .describe('From of offer emails; default no-reply@<store host>'),
  ENCORE_UNSUBSCRIBE_MAILTO: z.email().optional().describe('mailbox of the List-Unsubscribe mailto link; default the From address'),
  ENCORE_EMAIL_CAP_DAYS: intIn(0, 365, 7).describe('at most one offer email per customer per this many days; 0 = no cap'),
  ENCORE_CONSENT_META_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be an order meta key')
    .optional()
    .describe('order meta key a consent extension writes; when set, emails go only to orders where it is yes/1/true'),
  ENCORE_SCANNER_WINDOW_SECONDS: intIn(0, 3600, 60).describe('opens of an emailed link this soon after sending, without a cookie, count as mail scanners, seconds'),
  ENCORE_RECONCILE_MINUTES: intIn(1, 1440, 15).describe('minutes between reconciliation sweeps of the store’s orders and webhooks'),
  ENCORE_DEFAULT_LOCALE: z
    .string()
    .regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'must be a WordPress locale such as pl_PL')
    .default('en_US')
    .describe('language of emails when the order’s locale is unknown'),
  ENCORE_COBUY_HALF_LIFE_DAYS: intIn(14, 3650, 90).describe(
    'half-life of "bought together" counts, days: a co-purchase this old counts half as much as one today',
  ),
  ENCORE_METRICS_TOKEN: secret(16)
    .optional()
    .describe('bearer token /metrics requires; unset leaves /metrics open (bind or firewall it)'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('pino log level'),
  NODE_ENV: z.string().optional().describe('production: secrets and REDIS_URL are required, nothing is generated'),
};

export const configSchema = z.object(schemaShape);

export type ConfigEnv = z.input<typeof configSchema>;

export interface Config {
  port: number;
  host: string;
  redisUrl?: string;
  /** Redis Cluster seed node URLs; set instead of `redisUrl`. */
  redisClusterNodes?: string[];
  publicUrl: string;
  storeUrl: string;
  wc: { consumerKey: string; consumerSecret: string; webhookSecret: string; timeoutMs: number };
  shimSecret: string;
  tokenKeys: { kid: string; secret: string }[];
  paidStatuses: string[];
  maxOffers: number;
  role: 'all' | 'api' | 'worker';
  namespace: string;
  retentionDays: number;
  clickRateLimitPerMinute: number;
  trustProxy: number;
  workerConcurrency: number;
  /** BullMQ lock duration and stalled-check interval of every worker, ms. */
  jobLockMs: number;
  logLevel: string;
  email: {
    smtpUrl?: string;
    outboxDir: string;
    from: string;
    unsubscribeMailto: string;
    capDays: number;
    consentMetaKey?: string;
    scannerWindowSeconds: number;
    defaultLocale: string;
  };
  reconcileMinutes: number;
  cobuyHalfLifeDays: number;
  /** Bearer token of `/metrics`; undefined leaves it open. */
  metricsToken?: string;
}

/** Thrown when the environment does not fit the schema; names every bad key, never a value. */
export class ConfigError extends Error {
  constructor(readonly keys: string[], readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment once. Unknown variables are ignored. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const known = Object.fromEntries(
    Object.keys(schemaShape).map((key) => [key, env[key] === '' ? undefined : env[key]]),
  );
  const parsed = configSchema.safeParse(known);
  const problems = new Map<string, string>();
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    const key = String(issue.path[0] ?? '(root)');
    if (!problems.has(key)) problems.set(key, `${key} ${issue.message}`);
  }
  // Checked beside the schema so that it is reported together with every other bad key.
  if (known.NODE_ENV === 'production' && !known.REDIS_URL && !known.REDIS_CLUSTER_NODES) {
    problems.set('REDIS_URL', 'REDIS_URL (or REDIS_CLUSTER_NODES) is required when NODE_ENV=production');
  }
  if (known.REDIS_URL && known.REDIS_CLUSTER_NODES) {
    problems.set('REDIS_CLUSTER_NODES', 'REDIS_CLUSTER_NODES and REDIS_URL are mutually exclusive: set one of them');
  }
  if (!parsed.success || problems.size > 0) throw new ConfigError([...problems.keys()], [...problems.values()]);
  const c = parsed.data;
  const from = c.ENCORE_EMAIL_FROM ?? `no-reply@${new URL(c.ENCORE_STORE_URL).hostname}`;
  return {
    port: c.PORT,
    host: c.HOST,
    redisUrl: c.REDIS_URL,
    redisClusterNodes: c.REDIS_CLUSTER_NODES,
    publicUrl: c.ENCORE_PUBLIC_URL,
    storeUrl: c.ENCORE_STORE_URL,
    wc: {
      consumerKey: c.WC_CONSUMER_KEY,
      consumerSecret: c.WC_CONSUMER_SECRET,
      webhookSecret: c.WC_WEBHOOK_SECRET,
      timeoutMs: c.WC_TIMEOUT_MS,
    },
    shimSecret: c.ENCORE_SHIM_SECRET,
    tokenKeys: c.ENCORE_TOKEN_KEYS,
    paidStatuses: c.ENCORE_PAID_STATUSES,
    maxOffers: c.ENCORE_MAX_OFFERS,
    role: c.ENCORE_ROLE,
    namespace: c.ENCORE_REDIS_NAMESPACE,
    retentionDays: c.ENCORE_RETENTION_DAYS,
    clickRateLimitPerMinute: c.ENCORE_CLICK_RATE_LIMIT,
    trustProxy: c.ENCORE_TRUST_PROXY,
    workerConcurrency: c.ENCORE_WORKER_CONCURRENCY,
    jobLockMs: c.ENCORE_JOB_LOCK_MS,
    logLevel: c.LOG_LEVEL,
    email: {
      smtpUrl: c.SMTP_URL,
      outboxDir: c.ENCORE_OUTBOX_DIR,
      from,
      unsubscribeMailto: c.ENCORE_UNSUBSCRIBE_MAILTO ?? addressOf(from),
      capDays: c.ENCORE_EMAIL_CAP_DAYS,
      consentMetaKey: c.ENCORE_CONSENT_META_KEY,
      scannerWindowSeconds: c.ENCORE_SCANNER_WINDOW_SECONDS,
      defaultLocale: c.ENCORE_DEFAULT_LOCALE,
    },
    reconcileMinutes: c.ENCORE_RECONCILE_MINUTES,
    cobuyHalfLifeDays: c.ENCORE_COBUY_HALF_LIFE_DAYS,
    metricsToken: c.ENCORE_METRICS_TOKEN,
  };
}

/** `"Shop" <shop@example.com>` → `shop@example.com`. */
export const addressOf = (from: string): string => /<([^>]+)>/.exec(from)?.[1] ?? from;
