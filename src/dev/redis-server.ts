import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';

/**
 * A private `redis-server` on a unix socket (no TCP port), with the settings Encore
 * requires: AOF persistence and `noeviction`. Used by `npm start` without `REDIS_URL` and
 * by the test setup.
 */
export interface RedisServerHandle {
  socket: string;
  /** The child process, or null when a server left by an earlier run was reused. */
  child: ChildProcess | null;
  stop(): Promise<void>;
}

const which = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

/**
 * Makes sure `redis-server` exists: installs Debian's package when running as root with
 * apt-get, otherwise throws a one-line instruction.
 */
export function ensureRedisBinary(log: (line: string) => void = () => {}): void {
  if (which('redis-server')) return;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root || !which('apt-get')) {
    throw new Error('redis-server is not installed: run "sudo apt-get install -y redis-server" or set REDIS_URL.');
  }
  log('redis-server is missing; installing Debian package redis-server…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env });
  const install = spawnSync('apt-get', ['install', '-y', '-qq', 'redis-server'], { stdio: 'ignore', env });
  if (update.status !== 0 || install.status !== 0 || !which('redis-server')) {
    throw new Error('Installing redis-server failed: run "apt-get install -y redis-server" or set REDIS_URL.');
  }
}

/** True when something answers PING on the socket. */
export function pingSocket(socket: string, timeoutMs = 500): Promise<boolean> {
  return existsSync(socket) ? pingRedis({ path: socket }, timeoutMs) : Promise.resolve(false);
}

/**
 * True when a server at `target` (a unix socket path, or a host and TCP port) answers PING
 * within `timeoutMs` over a one-off raw connection: no client library, no retries.
 */
export function pingRedis(target: { path: string } | { host: string; port: number }, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const conn = createConnection(target);
    const done = (ok: boolean) => {
      conn.destroy();
      resolve(ok);
    };
    conn.setTimeout(timeoutMs, () => done(false));
    conn.on('error', () => done(false));
    conn.on('data', (data) => done(data.toString().startsWith('+PONG')));
    conn.write('PING\r\n');
  });
}

/**
 * The `redis-server` arguments every server Encore runs on shares, whatever it listens on: data
 * in `dir`, `noeviction` (an evicted job or offer key would be lost silently), the append-only
 * file (`appendonly`, default on; fsynced `appendfsync`, default every second) and no RDB
 * snapshots, logging warnings only (to `logfile` when given, else to stdout).
 */
export function redisServerArgs(opts: { dir: string; appendonly?: boolean; appendfsync?: 'always' | 'everysec'; logfile?: string }): string[] {
  return [
    '--dir', opts.dir,
    '--daemonize', 'no',
    '--maxmemory-policy', 'noeviction',
    '--appendonly', (opts.appendonly ?? true) ? 'yes' : 'no',
    '--appendfsync', opts.appendfsync ?? 'everysec',
    '--save', '',
    '--loglevel', 'warning',
    ...(opts.logfile === undefined ? [] : ['--logfile', opts.logfile]),
  ];
}

/** Starts (or reuses) a server whose data and socket live in `dir`. */
export async function startRedisServer(dir: string, opts: { persist?: boolean } = {}): Promise<RedisServerHandle> {
  mkdirSync(dir, { recursive: true });
  const socket = join(dir, 'redis.sock');
  if (await pingSocket(socket)) {
    return { socket, child: null, stop: async () => {} };
  }
  const persist = opts.persist ?? true;
  const args = [
    '--port', '0',
    '--unixsocket', socket,
    '--unixsocketperm', '700',
    ...redisServerArgs({ dir, appendonly: persist, logfile: join(dir, 'redis.log') }),
  ];
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 10_000;
  while (!(await pingSocket(socket))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not start; see ${join(dir, 'redis.log')}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    socket,
    child,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
