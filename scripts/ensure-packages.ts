import { spawnSync } from 'node:child_process';

/**
 * Makes sure the Debian packages the tests need are installed: `command:package` pairs, or
 * `php-ext:<ext>:<package>` for a PHP extension. Installs missing ones with apt-get when run
 * as root; otherwise names the one command to run and exits non-zero.
 *
 * Usage: tsx scripts/ensure-packages.ts php:php-cli phpunit:phpunit php-ext:dom:php-xml
 */
const sh = (cmd: string) => spawnSync('sh', ['-c', cmd], { stdio: 'ignore' }).status === 0;

const missing = process.argv.slice(2).flatMap((spec) => {
  const parts = spec.split(':');
  if (parts[0] === 'php-ext') return sh(`php -m 2>/dev/null | grep -qix '${parts[1]}'`) ? [] : [parts[2]!];
  return sh(`command -v ${parts[0]}`) ? [] : [parts[1]!];
});

if (missing.length > 0) {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root || !sh('command -v apt-get')) {
    process.stderr.write(`Missing packages: run "sudo apt-get install -y ${missing.join(' ')}".\n`);
    process.exit(1);
  }
  process.stdout.write(`Installing Debian packages: ${missing.join(' ')}\n`);
  const env = 'DEBIAN_FRONTEND=noninteractive';
  if (!sh(`${env} apt-get update -qq && ${env} apt-get install -y -qq --no-install-recommends ${missing.join(' ')}`)) {
    process.stderr.write(`Installing ${missing.join(' ')} failed: run "apt-get install -y ${missing.join(' ')}".\n`);
    process.exit(1);
  }
}
