import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { run, startDaemon, waitFor, type Daemon } from './processes';

const REPO = resolve(__dirname, '../../..');
const E2E = resolve(__dirname, '..');
/** The WordPress files of Debian's `wordpress` package (6.1.x). */
export const DEBIAN_WORDPRESS = '/usr/share/wordpress';
export const ROUTER = join(E2E, 'wordpress/router.php');
const CLI = join(E2E, 'wordpress/cli.php');

export const ENCORE_PLUGIN = 'encore/encore.php';
export const STAND_IN_PLUGIN = 'woocommerce/woocommerce.php';

export interface InstallOptions {
  /** Folder that receives the WordPress copy (`<dir>/wordpress`). */
  dir: string;
  dbSocket: string;
  database: string;
  /** Home URL, e.g. http://127.0.0.1:41234 (the PHP server is started on its port later). */
  url: string;
  adminPassword: string;
  restKey: string;
  restSecret: string;
}

/**
 * Copies Debian's WordPress into `dir` (dereferencing the package's symlinks to system
 * libraries) with a wp-config.php of its own, the Encore plugin from plugin-php-shim/, the
 * WooCommerce stand-in and the test theme; installs it into the empty database and activates
 * both plugins. Returns the WordPress folder.
 */
export function installWordPress(opts: InstallOptions): string {
  const wp = join(opts.dir, 'wordpress');
  run('cp', ['-rL', DEBIAN_WORDPRESS, wp]);
  writeFileSync(join(wp, 'wp-config.php'), wpConfig(opts, join(opts.dir, 'wp-debug.log')));
  const content = join(wp, 'wp-content');
  run('cp', ['-r', join(REPO, 'plugin-php-shim'), join(content, 'plugins/encore')]);
  run('cp', ['-r', join(E2E, 'woocommerce-stand-in'), join(content, 'plugins/woocommerce')]);
  run('cp', ['-r', join(E2E, 'wordpress/theme'), join(content, 'themes/encore-e2e')]);
  mkdirSync(join(content, 'mu-plugins'), { recursive: true });
  copyFileSync(join(E2E, 'wordpress/mu-plugin.php'), join(content, 'mu-plugins/encore-e2e.php'));
  wpCli(wp, 'install', opts.adminPassword, opts.restKey, opts.restSecret);
  // Its own run, after the install: activation as on the Plugins screen, without WP_INSTALLING.
  wpCli(wp, 'activate', STAND_IN_PLUGIN, ENCORE_PLUGIN);
  return wp;
}

/** Runs one step of test/e2e/wordpress/cli.php in the WordPress at `wp`. */
export function wpCli(wp: string, command: string, ...args: string[]): string {
  return run('/usr/bin/php', [CLI, wp, command, ...args]);
}

/**
 * PHP's built-in server on 127.0.0.1:`port` with the router. Four workers: while one request
 * of WordPress waits for the Encore service, the service may call WordPress's REST API back.
 * OPcache is on, as on any production PHP.
 */
export async function startPhpServer(wp: string, url: string, logFile: string): Promise<Daemon> {
  const port = new URL(url).port;
  const server = startDaemon('/usr/bin/php', ['-d', 'opcache.enable_cli=1', '-S', `127.0.0.1:${port}`, '-t', wp, ROUTER], {
    logFile,
    env: { ...process.env, PHP_CLI_SERVER_WORKERS: '4' },
  });
  await waitFor(`PHP's built-in server at ${url} (see ${logFile})`, async () => {
    if (server.child.exitCode !== null) throw new Error(`php -S exited at start; see ${logFile}`);
    try {
      return (await fetch(`${url}/wp-login.php`)).status === 200;
    } catch {
      return false;
    }
  });
  return server;
}

function wpConfig(opts: InstallOptions, debugLog: string): string {
  const salt = () => randomBytes(32).toString('hex');
  const keys = ['AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT'];
  const php = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return `<?php
// Written by test/e2e/support/wordpress.ts for one end-to-end run; replaces Debian's
// wp-config.php, which reads /etc/wordpress.
define( 'DB_NAME', ${php(opts.database)} );
define( 'DB_USER', 'root' );
define( 'DB_PASSWORD', '' );
define( 'DB_HOST', ${php(`localhost:${opts.dbSocket}`)} );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );
${keys.map((k) => `define( '${k}', '${salt()}' );`).join('\n')}
$table_prefix = 'wp_';
define( 'WP_HOME', ${php(opts.url)} );
define( 'WP_SITEURL', ${php(opts.url)} );
// Notices of the plugins go to a file the tests read; nothing is printed into pages.
define( 'WP_DEBUG', true );
define( 'WP_DEBUG_LOG', ${php(debugLog)} );
define( 'WP_DEBUG_DISPLAY', false );
// Offline and quiet: no update checks, no cron requests, no calls beyond this machine
// (the site's own host, 127.0.0.1, stays reachable: the Encore service runs there).
define( 'WP_HTTP_BLOCK_EXTERNAL', true );
define( 'DISABLE_WP_CRON', true );
define( 'AUTOMATIC_UPDATER_DISABLED', true );
define( 'WP_AUTO_UPDATE_CORE', false );
define( 'FS_METHOD', 'direct' );
if ( ! defined( 'ABSPATH' ) ) {
	define( 'ABSPATH', __DIR__ . '/' );
}
require_once ABSPATH . 'wp-settings.php';
`;
}
