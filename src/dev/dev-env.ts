import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Secrets `npm start` generates for a development machine, once, into `var/dev-secrets.json`. */
const GENERATED: Record<string, () => string> = {
  WC_CONSUMER_KEY: () => `ck_dev_${randomBytes(16).toString('hex')}`,
  WC_CONSUMER_SECRET: () => `cs_dev_${randomBytes(16).toString('hex')}`,
  // WooCommerce HTML-escapes stored secrets: keep to [A-Za-z0-9] (woocommerce-facts.md).
  WC_WEBHOOK_SECRET: () => randomBytes(24).toString('hex'),
  ENCORE_SHIM_SECRET: () => randomBytes(24).toString('hex'),
  ENCORE_TOKEN_KEYS: () => `dev1:${randomBytes(32).toString('hex')}`,
};

/** Safe development defaults that are not secrets. */
const DEV_DEFAULTS: Record<string, string> = {
  ENCORE_STORE_URL: 'http://localhost',
};

export interface DevEnvironment {
  env: Record<string, string | undefined>;
  /** Keys that came from `var/dev-secrets.json` rather than the environment. */
  generated: string[];
  file: string;
}

/**
 * Outside production, fills every unset secret from `var/dev-secrets.json` (creating it,
 * mode 0600, on first run) so that `npm start` needs no configuration. In production nothing
 * is generated: missing secrets stop the start.
 */
export function prepareDevEnvironment(env: Record<string, string | undefined>, varDir: string): DevEnvironment {
  const file = join(varDir, 'dev-secrets.json');
  const missing = Object.keys(GENERATED).filter((key) => !env[key]);
  if (env.NODE_ENV === 'production' || missing.length === 0) return { env: withDefaults(env), generated: [], file };
  mkdirSync(varDir, { recursive: true });
  const stored: Record<string, string> = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
  let changed = false;
  for (const [key, make] of Object.entries(GENERATED)) {
    if (!stored[key]) {
      stored[key] = make();
      changed = true;
    }
  }
  if (changed) {
    writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  const filled = { ...env };
  const generated: string[] = [];
  for (const key of Object.keys(GENERATED)) {
    if (!filled[key]) {
      filled[key] = stored[key];
      generated.push(key);
    }
  }
  return { env: withDefaults(filled), generated, file };
}

function withDefaults(env: Record<string, string | undefined>): Record<string, string | undefined> {
  if (env.NODE_ENV === 'production') return env;
  const filled = { ...env };
  for (const [key, value] of Object.entries(DEV_DEFAULTS)) filled[key] ||= value;
  return filled;
}
