import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pingSocket } from '../../src/dev/redis-server';
import { signRequest } from '../../src/security/signed-request';
import { createRedis, waitReady } from '../../src/storage/redis';
import { eventually, orderSummary, printerTonerRule, TEST_SECRETS } from '../support/encore';
import { freePort } from '../support/net';
import { exitWithin, startEntryPoint as spawnEntryPoint, track as trackProcess, untilReady, type Running } from '../support/processes';
import { startWooFake, type WooFake } from '../support/woo-fake';

/**
 * The `npm start` entry point as real processes: it starts, drains on SIGTERM and exits 0,
 * and refuses to start on a bad configuration or an evicting Redis.
 */
jest.setTimeout(30_000);

const children: ChildProcess[] = [];
const tempDirs: string[] = [];
const namespaces: string[] = [];
let woo: WooFake | null = null;

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'encore-lifecycle-'));
  tempDirs.push(dir);
  return dir;
}

/** A tracked child, stopped after each test. */
function track(child: ChildProcess): Running {
  children.push(child);
  return trackProcess(child);
}

/** `src/start.ts` through tsx, stopped after each test. */
function startEntryPoint(env: Record<string, string>): Running {
  const running = spawnEntryPoint(env);
  children.push(running.child);
  return running;
}

/** A complete, valid configuration on the test redis-server under a fresh namespace. */
function validEnv(overrides: Record<string, string> = {}): Record<string, string> {
  const namespace = `t${randomBytes(6).toString('hex')}`;
  namespaces.push(namespace);
  return {
    ...TEST_SECRETS,
    REDIS_URL: `unix://${process.env.ENCORE_TEST_REDIS_SOCKET}`,
    ENCORE_REDIS_NAMESPACE: namespace,
    HOST: '127.0.0.1',
    ENCORE_STORE_URL: 'http://127.0.0.1:9',
    ENCORE_VAR_DIR: join(tempDir(), 'var'),
    LOG_LEVEL: 'info',
    ...overrides,
  };
}

/** Connects on a fresh socket (no pooled keep-alive): the error code, or 'connected'. */
function probe(port: number): Promise<string> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/healthz', agent: false }, (res) => {
      res.resume();
      resolve('connected');
    });
    req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

/**
 * POSTs on a connection of its own that closes after the answer, as the WordPress plugin's
 * one-off request does (no pooled keep-alive socket to outlive the request).
 */
function postOnce(port: number, path: string, headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', agent: false, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** JSON log lines (pino) among the process's stdout. */
const logLines = (text: string): Record<string, unknown>[] =>
  text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await gone;
    }
  }
  await woo?.close();
  woo = null;
  const socket = process.env.ENCORE_TEST_REDIS_SOCKET;
  if (socket && namespaces.length > 0) {
    const redis = createRedis({ path: socket }, { name: 'test-lifecycle-cleanup' });
    await waitReady(redis);
    for (const namespace of namespaces.splice(0)) {
      let cursor = '0';
      do {
        const [next, found] = await redis.scan(cursor, 'MATCH', `{${namespace}}:*`, 'COUNT', 1000);
        if (found.length > 0) await redis.del(...found);
        cursor = next;
      } while (cursor !== '0');
    }
    await redis.quit();
  }
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('npm start (src/start.ts)', () => {
  it('starts, is ready, and on SIGTERM logs draining/stopped, closes its port and exits 0', async () => {
    const port = await freePort();
    const running = startEntryPoint(validEnv({ PORT: String(port) }));
    const url = `http://127.0.0.1:${port}`;

    expect(await untilReady(running, url)).toMatchObject({ status: 'ready', redis: 'PONG' });
    // The banner follows the workers' start, a moment after the API already answers.
    await eventually(async () => (running.stdout().includes('Encore is running (role all).') ? true : undefined), 10_000);
    expect(running.stdout()).toContain(`API:           ${url}`);

    running.child.kill('SIGTERM');
    expect(await exitWithin(running, 5_000)).toEqual({ code: 0, signal: null });
    const messages = logLines(running.stdout()).map((line) => line.msg);
    expect(messages).toEqual(expect.arrayContaining(['draining', 'stopped']));
    expect(messages.indexOf('draining')).toBeLessThan(messages.indexOf('stopped'));
    expect(logLines(running.stdout()).find((line) => line.msg === 'draining')).toMatchObject({ signal: 'SIGTERM' });
    expect(running.stderr()).toBe('');
    expect(await probe(port)).toBe('ECONNREFUSED');
  });

  it('a worker-role process listens on PORT for the ops routes only, /metrics included, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const running = startEntryPoint(validEnv({ PORT: String(port), ENCORE_ROLE: 'worker', ENCORE_METRICS_TOKEN: 'worker-metrics-token-0123' }));
    const url = `http://127.0.0.1:${port}`;
    await untilReady(running, url);
    await eventually(async () => (running.stdout().includes('Encore is running (role worker).') ? true : undefined), 10_000);
    expect(running.stdout()).toContain(`Ops:           ${url}`);

    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    const metrics = await fetch(`${url}/metrics`, { headers: { Authorization: 'Bearer worker-metrics-token-0123' } });
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/^encore_info\{role="worker",version="[^"]+"\} 1$/m);
    expect((await fetch(`${url}/v1/admin/rules`)).status).toBe(404);

    running.child.kill('SIGTERM');
    expect(await exitWithin(running, 5_000)).toEqual({ code: 0, signal: null });
    expect(await probe(port)).toBe('ECONNREFUSED');
  });

  it('SIGTERM during a slow thank-you request: no new connections, the request still gets its answer, then exit 0', async () => {
    woo = await startWooFake({ consumerKey: TEST_SECRETS.WC_CONSUMER_KEY, consumerSecret: TEST_SECRETS.WC_CONSUMER_SECRET });
    const port = await freePort();
    const running = startEntryPoint(validEnv({ PORT: String(port), ENCORE_STORE_URL: woo.url, ENCORE_ROLE: 'api' }));
    const url = `http://127.0.0.1:${port}`;
    await untilReady(running, url);

    let seq = 0;
    const sign = (method: string, path: string, raw: string) => ({
      ...signRequest(TEST_SECRETS.ENCORE_SHIM_SECRET, {
        id: `lifecycle-${Date.now()}-${++seq}`,
        timestamp: Math.floor(Date.now() / 1000),
        method,
        pathWithQuery: path,
        body: raw,
      }),
      'Content-Type': 'application/json',
    });
    const rule = JSON.stringify(printerTonerRule());
    expect((await fetch(`${url}/v1/admin/rules`, { method: 'POST', headers: sign('POST', '/v1/admin/rules', rule), body: rule })).status).toBe(201);

    // The product lookup hangs, so the thank-you page waits out its product budget.
    woo.failNext(1, { hangMs: 5_000 });
    const summary = JSON.stringify(orderSummary({ orderId: 5150 }));
    const pending = postOnce(port, '/v1/thank-you', sign('POST', '/v1/thank-you', summary), summary);
    await eventually(async () => (woo!.requests.some((r) => r.route === '/products/202') ? true : undefined), 10_000);

    running.child.kill('SIGTERM');
    await eventually(async () => (running.stdout().includes('"msg":"draining"') ? true : undefined), 5_000);
    expect(running.child.exitCode).toBeNull();
    expect(await probe(port)).toBe('ECONNREFUSED');

    const res = await pending;
    const answered = Date.now();
    expect(res.status).toBe(200);
    expect(res.text.match(/data-offer-id="of_[0-9a-z]+"/g)).toHaveLength(1);
    expect(res.text).toContain('15% taniej');

    // Nothing else is in flight: the process stops promptly once the answer is out.
    expect(await exitWithin(running, 5_000)).toEqual({ code: 0, signal: null });
    expect(Date.now() - answered).toBeLessThan(2_000);
    expect(running.stdout()).toContain('"msg":"stopped"');
  });

  it('a bad configuration stops the start with one message naming every bad key and no value', async () => {
    const env = validEnv({
      NODE_ENV: 'production',
      PORT: 'abc',
      ENCORE_MAX_OFFERS: '0',
      ENCORE_TOKEN_KEYS: 'k1:Short-Tok3n-Secret',
      WC_WEBHOOK_SECRET: 'wQ7zX',
    });
    const running = startEntryPoint(env);

    const exit = await exitWithin(running, 20_000);
    expect(exit.code).not.toBe(0);
    expect(exit.code).not.toBeNull();
    const lines = running.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    const [message] = lines as [string];
    expect(message).toMatch(/^Invalid configuration: /);
    for (const key of ['PORT', 'ENCORE_MAX_OFFERS', 'ENCORE_TOKEN_KEYS', 'WC_WEBHOOK_SECRET']) expect(message).toContain(key);
    for (const other of ['ENCORE_SHIM_SECRET', 'WC_CONSUMER_KEY', 'WC_CONSUMER_SECRET', 'REDIS_URL', 'ENCORE_STORE_URL']) {
      expect(message).not.toContain(other);
    }
    for (const value of ['abc', 'Short-Tok3n-Secret', 'wQ7zX']) expect(message).not.toContain(value);
    expect(running.stdout()).toBe('');
    // Production generates no development secrets.
    expect(existsSync(env.ENCORE_VAR_DIR!)).toBe(false);
  });

  // An operator must learn every missing key at once, REDIS_URL included.
  it('in production, a missing REDIS_URL is named in the same message as the other bad keys', async () => {
    const env = validEnv({ NODE_ENV: 'production', PORT: 'abc' });
    delete env.REDIS_URL;
    const running = startEntryPoint(env);

    const exit = await exitWithin(running, 20_000);
    expect(exit.code).toBe(1);
    const lines = running.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('PORT');
    expect(lines[0]).toContain('REDIS_URL');
  });

  it('refuses a Redis whose maxmemory-policy evicts keys, and writes nothing to it', async () => {
    const dir = tempDir();
    const socket = join(dir, 'r.sock');
    const redisServer = track(
      spawn(
        'redis-server',
        ['--port', '0', '--unixsocket', socket, '--dir', dir, '--maxmemory-policy', 'allkeys-lru', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'],
        { stdio: 'ignore' },
      ),
    );
    await eventually(async () => ((await pingSocket(socket)) ? true : undefined), 10_000);
    expect(redisServer.child.exitCode).toBeNull();

    const port = await freePort();
    const running = startEntryPoint(validEnv({ NODE_ENV: 'production', PORT: String(port), REDIS_URL: `unix://${socket}` }));

    const exit = await exitWithin(running, 20_000);
    expect(exit.code).not.toBe(0);
    expect(exit.code).not.toBeNull();
    expect(running.stderr()).toContain('noeviction');
    expect(running.stderr()).toContain('allkeys-lru');
    expect(running.stderr().trim().split('\n')).toHaveLength(1);
    expect(await probe(port)).toBe('ECONNREFUSED');

    const redis = createRedis({ path: socket }, { name: 'test-lifecycle-lru' });
    await waitReady(redis);
    expect(await redis.dbsize()).toBe(0);
    await redis.quit();
  });
});
