import { join, resolve } from 'node:path';
import { ConfigError, loadConfig } from './config';
import { prepareDevEnvironment } from './dev/dev-env';
import { ensureRedisBinary, startRedisServer, type RedisServerHandle } from './dev/redis-server';
import { createLogger } from './logger';
import { startEncore } from './main';
import { targetFromUrl, type RedisTarget } from './storage/redis';

/**
 * `npm start`: zero configuration on a development machine (private redis-server and
 * generated secrets under var/), strict configuration in production (NODE_ENV=production).
 */
async function start(): Promise<void> {
  const varDir = resolve(process.env.ENCORE_VAR_DIR ?? 'var');
  const dev = prepareDevEnvironment(process.env, varDir);
  let config;
  try {
    config = loadConfig(dev.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);

  let embedded: RedisServerHandle | null = null;
  let target: RedisTarget;
  if (config.redisClusterNodes) {
    target = { clusterNodes: config.redisClusterNodes };
  } else if (config.redisUrl) {
    target = targetFromUrl(config.redisUrl);
  } else {
    ensureRedisBinary((line) => process.stdout.write(`${line}\n`));
    embedded = await startRedisServer(join(varDir, 'redis'));
    target = { path: embedded.socket };
  }

  // Listen for signals before starting: the HTTP server answers /readyz before the workers and
  // schedules are up, and a SIGTERM in that window must drain, not kill the process outright.
  let signalled: string | null = null;
  let stop: (signal: string) => void = (signal) => void (signalled ??= signal);
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));

  const encore = await startEncore(config, { logger, redis: target });
  printBanner(config.role, encore.url, config.publicUrl, embedded?.socket ?? null, dev);

  let stopping = false;
  stop = (signal) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'draining');
    void encore
      .stop()
      .then(() => embedded?.stop())
      .then(() => {
        logger.info('stopped');
        process.exit(0);
      })
      .catch((err: unknown) => {
        logger.error({ error: (err as Error).name, reason: (err as Error).message }, 'stop failed');
        process.exit(1);
      });
  };
  if (signalled) stop(signalled);
}

function printBanner(
  role: string,
  url: string,
  publicUrl: string,
  socket: string | null,
  dev: ReturnType<typeof prepareDevEnvironment>,
): void {
  const lines = [`Encore is running (role ${role}).`];
  if (role === 'worker') lines.push(`  Ops:           ${url}  (/healthz, /readyz, /metrics)`);
  else lines.push(`  API:           ${url}  (offer links: ${publicUrl}/o/<token>)`, `  Webhook URL:   ${publicUrl}/webhooks/woocommerce`);
  if (socket) lines.push(`  Redis:         private redis-server at ${socket}`);
  if (dev.generated.length > 0) {
    lines.push(`  Development secrets (kept in ${dev.file}; set them in the environment for production):`);
    for (const key of dev.generated) lines.push(`    ${key}=${dev.env[key]}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

/**
 * One line about an error, for stderr: its name and message, never its stack, with credentials
 * in URLs masked (`rediss://user:secret@host` → `rediss://***@host`).
 */
function oneLine(err: unknown): string {
  const text = err instanceof Error ? `${err.name === 'Error' ? '' : `${err.name}: `}${err.message}` : String(err);
  return text.replace(/\/\/[^/@\s]*@/g, '//***@').replace(/\s+/g, ' ').slice(0, 300);
}

// An error no code path caught (a library emitting 'error' without a listener, say) ends the
// process like a failed start: one line on stderr and exit code 1, no stack trace in the logs.
const stopOnUnexpected = (err: unknown): never => {
  process.stderr.write(`Encore stopped on an unexpected error: ${oneLine(err)}\n`);
  process.exit(1);
};
process.on('uncaughtException', stopOnUnexpected);
process.on('unhandledRejection', stopOnUnexpected);

start().catch((err: unknown) => {
  process.stderr.write(`Encore could not start: ${oneLine(err)}\n`);
  process.exit(1);
});
