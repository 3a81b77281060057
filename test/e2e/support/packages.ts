import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * The Debian packages the end-to-end suite runs on, each with a check that it is usable.
 * Absolute paths: /usr/sbin is not on every user's PATH.
 */
export const E2E_PACKAGES: { name: string; present: () => boolean }[] = [
  { name: 'wordpress', present: () => existsSync('/usr/share/wordpress/wp-settings.php') },
  { name: 'mariadb-server', present: () => existsSync('/usr/sbin/mariadbd') && existsSync('/usr/bin/mariadb-install-db') },
  { name: 'php-cli', present: () => existsSync('/usr/bin/php') },
  { name: 'php-mysql', present: () => phpHas('mysqli') },
  { name: 'php-xml', present: () => phpHas('dom') },
  { name: 'php-mbstring', present: () => phpHas('mbstring') },
  // WordPress's HTTP API uses cURL when it can, as production hosts do (the plugin's timeout
  // detection reads cURL's error 28).
  { name: 'php-curl', present: () => phpHas('curl') },
  { name: 'chromium', present: () => existsSync('/usr/bin/chromium') },
];

function phpHas(extension: string): boolean {
  if (!existsSync('/usr/bin/php')) return false;
  return spawnSync('/usr/bin/php', ['-r', `exit(extension_loaded('${extension}') ? 0 : 1);`]).status === 0;
}

const which = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

/**
 * Makes sure every package is there: installs the missing ones with one `apt-get install`
 * when running as root with apt-get (after one `apt-get update`), otherwise throws a one-line
 * instruction. Recommends are left out: the suite brings its own theme.
 */
export function ensureE2ePackages(log: (line: string) => void = () => {}): void {
  const missing = E2E_PACKAGES.filter((p) => !p.present()).map((p) => p.name);
  if (missing.length === 0) return;
  const command = `apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root || !which('apt-get')) {
    throw new Error(`The end-to-end tests need Debian packages that are missing: run "sudo ${command}".`);
  }
  log(`Installing Debian packages for the end-to-end tests: ${missing.join(' ')}…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env });
  const install = spawnSync('sh', ['-c', `${command} -qq`], { stdio: 'ignore', env });
  const still = E2E_PACKAGES.filter((p) => !p.present()).map((p) => p.name);
  if (update.status !== 0 || install.status !== 0 || still.length > 0) {
    throw new Error(`Installing ${missing.join(' ')} failed: run "${command}" and look at its output.`);
  }
}
