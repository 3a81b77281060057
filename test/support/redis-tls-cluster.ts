import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './net';

/**
 * A one-master Redis Cluster that speaks only TLS, with a certificate from a throw-away CA,
 * and a password on its default user.
 */
export interface TlsClusterNode {
  /** `rediss://default:<password>@127.0.0.1:<port>`, for REDIS_CLUSTER_NODES. */
  url: string;
  /** PEM of the CA that signed the server certificate (for NODE_EXTRA_CA_CERTS). */
  caFile: string;
  stop(): Promise<void>;
}

/** The default user's password (URL-safe). */
const PASSWORD = 'tls-cluster-pw-8Qz';

/** Milliseconds to wait for the server to answer and to report `cluster_state:ok`. */
const READY_TIMEOUT_MS = 20_000;

/** A CA and a server certificate for 127.0.0.1 signed by it, written into `dir`. */
function makeCertificates(dir: string): void {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Encore test CA');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'node.key', '-out', 'node.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(join(dir, 'san.cnf'), 'subjectAltName=IP:127.0.0.1\n');
  openssl('x509', '-req', '-in', 'node.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'node.pem', '-days', '2', '-extfile', 'san.cnf');
}

/**
 * Starts `redis-server` in cluster mode with no plain-text port, TLS for clients and the
 * cluster bus, all 16,384 slots on itself, and `cluster-announce-ip` so that CLUSTER SLOTS
 * names an address (a lone node never learns its own).
 */
export async function startTlsClusterNode(): Promise<TlsClusterNode> {
  const dir = mkdtempSync(join(tmpdir(), 'encore-redis-tls-'));
  makeCertificates(dir);
  const [port, busPort] = [await freePort(), await freePort()];
  const ca = readFileSync(join(dir, 'ca.pem'));
  const child = spawn(
    'redis-server',
    [
      '--port', '0',
      '--tls-port', String(port),
      '--cluster-port', String(busPort),
      '--bind', '127.0.0.1',
      '--tls-cert-file', join(dir, 'node.pem'),
      '--tls-key-file', join(dir, 'node.key'),
      '--tls-ca-cert-file', join(dir, 'ca.pem'),
      '--tls-auth-clients', 'no',
      '--tls-cluster', 'yes',
      '--cluster-enabled', 'yes',
      '--cluster-announce-ip', '127.0.0.1',
      '--maxmemory-policy', 'noeviction',
      '--requirepass', PASSWORD,
      '--dir', dir,
      '--save', '',
      '--daemonize', 'no',
      '--logfile', join(dir, 'redis.log'),
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // One attempt per connection: no ioredis retries while the server is still starting.
  const admin = () => new Redis({ host: '127.0.0.1', port, tls: { ca }, password: PASSWORD, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  try {
    for (let slotsAdded = false; ; ) {
      const conn = admin();
      const info = await conn
        .connect()
        .then(async () => {
          if (!slotsAdded) slotsAdded = (await conn.call('CLUSTER', 'ADDSLOTSRANGE', '0', '16383')) === 'OK';
          return String(await conn.call('CLUSTER', 'INFO'));
        })
        .catch(() => '')
        .finally(() => conn.disconnect());
      if (/^cluster_state:ok/m.test(info)) break;
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`TLS redis-server did not become a cluster; see ${join(dir, 'redis.log')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    url: `rediss://default:${PASSWORD}@127.0.0.1:${port}`,
    caFile: join(dir, 'ca.pem'),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
