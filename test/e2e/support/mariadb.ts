import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { run, startDaemon, waitFor } from './processes';

export interface MariaDb {
  /** Unix socket; WordPress connects with DB_HOST `localhost:<socket>`. */
  socket: string;
  stop(): Promise<void>;
}

const MARIADB = '/usr/bin/mariadb';

/**
 * A private MariaDB server in `dir`: its own data directory, a unix socket and no TCP port
 * (`--skip-networking`), no system service and no my.cnf (`--no-defaults`). `root` has an
 * empty password so that any local user can connect through the socket. Durability is
 * traded for speed (no fsync per commit): the data dies with the run anyway.
 */
export async function startMariaDb(dir: string, database: string): Promise<MariaDb> {
  const dataDir = join(dir, 'data');
  const socket = join(dir, 'mysqld.sock');
  mkdirSync(dir, { recursive: true });
  // --user=root: mariadbd refuses to run as root without being told; as another user it is ignored.
  run('/usr/bin/mariadb-install-db', [
    '--no-defaults',
    `--datadir=${dataDir}`,
    '--user=root',
    '--auth-root-authentication-method=normal',
    '--skip-test-db',
  ]);
  const server = startDaemon(
    '/usr/sbin/mariadbd',
    [
      '--no-defaults',
      `--datadir=${dataDir}`,
      `--socket=${socket}`,
      `--pid-file=${join(dir, 'mysqld.pid')}`,
      `--log-error=${join(dir, 'mysqld.err')}`,
      '--skip-networking',
      '--user=root',
      '--skip-log-bin',
      '--innodb-buffer-pool-size=64M',
      '--innodb-flush-log-at-trx-commit=0',
      '--character-set-server=utf8mb4',
    ],
    { logFile: join(dir, 'mysqld.out'), graceMs: 20_000 },
  );
  const query = (sql: string) => run(MARIADB, ['--no-defaults', `--socket=${socket}`, '-u', 'root', '-e', sql]);
  await waitFor(
    `MariaDB on ${socket} (see ${join(dir, 'mysqld.err')})`,
    () => {
      if (server.child.exitCode !== null) throw new Error(`mariadbd exited at start; see ${join(dir, 'mysqld.err')}`);
      if (!existsSync(socket)) return false;
      try {
        query('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },
    30_000,
  );
  query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  return { socket, stop: () => server.stop() };
}
