import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_SECRETS } from '../support/encore';
import { startEntryPoint } from '../support/entry-point';
import { freePort } from '../support/net';
import { startTlsClusterNode, type TlsClusterNode } from '../support/redis-tls-cluster';

/** `rediss://` seed nodes: a Redis Cluster that speaks only TLS, with a certificate from a private CA and a password. */
describe('REDIS_CLUSTER_NODES with rediss:// seeds', () => {
  let node: TlsClusterNode;
  beforeAll(async () => {
    node = await startTlsClusterNode();
  }, 30_000);
  afterAll(() => node?.stop());

  /** Production configuration on the TLS cluster; files under `varDir`. */
  const environment = (port: number, varDir: string): Record<string, string> => ({
    ...TEST_SECRETS,
    REDIS_CLUSTER_NODES: node.url,
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    ENCORE_STORE_URL: 'http://127.0.0.1:9',
    ENCORE_VAR_DIR: join(varDir, 'var'),
    ENCORE_OUTBOX_DIR: join(varDir, 'outbox'),
    LOG_LEVEL: 'warn',
  });

  it('when the CA is trusted, `npm start` connects over TLS with the seed’s password, runs its queues and is ready', async () => {
    const varDir = mkdtempSync(join(tmpdir(), 'encore-tls-start-'));
    const port = await freePort();
    const entry = startEntryPoint({ ...environment(port, varDir), NODE_EXTRA_CA_CERTS: node.caFile });
    try {
      const ready = await entry.ready(port);
      expect(ready).toMatchObject({ redis: 'PONG', queues: { orders: { waiting: 0 } } });
      expect(await entry.stop()).toBe(0);
    } finally {
      entry.kill();
      rmSync(varDir, { recursive: true, force: true });
    }
  }, 40_000);

  // ioredis reports the failed handshake, then the server's alert on the same socket, whose
  // second 'error' has no listener (redis/ioredis#961): the process stops, exit code 1, with
  // one line that says why and no stack trace.
  it('the server certificate is verified: without its CA, `npm start` never becomes ready and exits non-zero with one line, no stack', async () => {
    const varDir = mkdtempSync(join(tmpdir(), 'encore-tls-start-'));
    const port = await freePort();
    const entry = startEntryPoint(environment(port, varDir));
    try {
      await expect(entry.ready(port, 15_000)).rejects.toThrow(/exited early/);
      expect(await entry.stop()).toBe(1);
      const output = entry.output();
      expect(output).toMatch(/^Encore (stopped on an unexpected error|could not start): .*(certificate|SSL|TLS|socket)/im);
      expect(output).not.toMatch(/\n\s+at\s/);
      expect(output).not.toContain(TEST_SECRETS.ENCORE_SHIM_SECRET);
    } finally {
      entry.kill();
      rmSync(varDir, { recursive: true, force: true });
    }
  }, 30_000);
});
