import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * WooCommerce's REST authentication (`WC_REST_Authentication`), reproduced for the HTTP fake:
 * HTTP Basic (or `consumer_key`/`consumer_secret` in the query) over HTTPS, OAuth 1.0a one-legged
 * with WooCommerce's own parameter normalisation otherwise. Strings are handled as PHP does,
 * byte by byte (latin1 strings here), so that encodings compare exactly.
 */
export interface WooErrorBody {
  status: number;
  code: string;
  message: string;
}

/** `authenticated`, or rejected with an error, or no credentials at all (the route decides). */
export type AuthResult = { kind: 'authenticated' } | { kind: 'rejected'; error: WooErrorBody } | { kind: 'anonymous' };

export interface AuthRequest {
  method: string;
  /** Request target as sent: path and raw query string. */
  rawUrl: string;
  authorization?: string;
  /** Raw `application/x-www-form-urlencoded` body: PHP puts it in `$_POST`, which is signed too. */
  formBody?: string;
}

/** A `$_GET` value: a byte (latin1) string or a nested, ordered PHP array. */
export type PhpValue = string | PhpArray;
export type PhpArray = Map<string, PhpValue>;

/** Seconds either side of now that `oauth_timestamp` may be (WooCommerce: 15 minutes). */
const WINDOW_SECONDS = 15 * 60;

const authError = (message: string, code = 'woocommerce_rest_authentication_error'): AuthResult => ({
  kind: 'rejected',
  error: { status: 401, code, message },
});

/**
 * Returns the authenticator of one store with one read/write key. `homeUrl` is the store URL
 * WooCommerce signs against: `get_home_url()`, not the Host header the client sent.
 */
export function createAuthenticator(opts: { consumerKey: string; consumerSecret: string; https: boolean; homeUrl: string }) {
  // WooCommerce keeps used nonces per key, indexed by timestamp: a later nonce in the same second
  // replaces the earlier one.
  const nonces = new Map<string, string>();

  return function authenticate(req: AuthRequest): AuthResult {
    const query = req.rawUrl.includes('?') ? req.rawUrl.slice(req.rawUrl.indexOf('?') + 1) : '';
    const get = parsePhpQuery(query);
    let failure: AuthResult | null = null;
    if (opts.https) {
      const basic = basicAuth(get, req.authorization);
      if (basic) {
        if (basic.key === opts.consumerKey) {
          if (safeEqual(basic.secret, opts.consumerSecret)) return { kind: 'authenticated' };
          failure = authError('Consumer secret is invalid.');
        }
        // An unknown key over Basic is not an error: WooCommerce falls through to OAuth.
      }
    }
    const params = new Map([...get, ...parsePhpQuery(req.formBody ?? ''), ...oauthHeader(req.authorization)]);
    const required = ['oauth_consumer_key', 'oauth_timestamp', 'oauth_nonce', 'oauth_signature', 'oauth_signature_method'];
    const missing = required.filter((name) => phpEmpty(params.get(name)));
    if (missing.length === required.length) return failure ?? { kind: 'anonymous' };
    if (missing.length > 0) {
      const label = missing.length === 1 ? 'Missing OAuth parameter' : 'Missing OAuth parameters';
      return authError(`${label} ${missing.join(', ')}`, 'woocommerce_rest_authentication_missing_parameter');
    }
    if (params.get('oauth_consumer_key') !== opts.consumerKey) return authError('Consumer key is invalid.');

    const signatureError = checkSignature(req, params, opts);
    if (signatureError) return authError(signatureError);

    const timestamp = Number(params.get('oauth_timestamp'));
    const now = Math.floor(Date.now() / 1000);
    if (!Number.isFinite(timestamp) || timestamp < now - WINDOW_SECONDS || timestamp > now + WINDOW_SECONDS) {
      return authError('Invalid timestamp.');
    }
    const nonce = params.get('oauth_nonce') as string;
    if ([...nonces.values()].includes(nonce)) return authError('Invalid nonce - nonce has already been used.');
    nonces.set(String(timestamp), nonce);
    for (const ts of nonces.keys()) if (Number(ts) < now - WINDOW_SECONDS) nonces.delete(ts);
    return { kind: 'authenticated' };
  };
}

/** `check_oauth_signature()`: returns WooCommerce's error message, or null when it matches. */
function checkSignature(req: AuthRequest, all: PhpArray, opts: { consumerSecret: string; https: boolean; homeUrl: string }): string | null {
  const given = all.get('oauth_signature');
  if (typeof given !== 'string') return 'Invalid signature - provided signature does not match.';
  // `$_GET` turned any unencoded `+` of the base64 signature into a space; WooCommerce undoes it.
  const consumerSignature = rawurldecode(given.replace(/ /g, '+'));
  const params = new Map(all);
  params.delete('oauth_signature');
  const sorted = [...params.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const normalized = sorted.map(([key, value]) => [rfc3986(key), encodeValue(value)] as const);
  const queryString = joinWithEqualsSign(normalized).join('%26');

  const path = req.rawUrl.split('?')[0]!;
  const home = opts.homeUrl.replace(/^https?:/, opts.https ? 'https:' : 'http:').replace(/\/+$/, '');
  const baseRequestUri = rawurlencode(`${home}/${path.replace(/^\/+/, '')}`);
  const stringToSign = `${req.method.toUpperCase()}&${baseRequestUri}&${queryString}`;

  const method = params.get('oauth_signature_method');
  if (method !== 'HMAC-SHA1' && method !== 'HMAC-SHA256') return 'Invalid signature - signature method is invalid.';
  const algorithm = method === 'HMAC-SHA1' ? 'sha1' : 'sha256';
  const expected = createHmac(algorithm, Buffer.from(`${opts.consumerSecret}&`, 'utf8'))
    .update(Buffer.from(stringToSign, 'latin1'))
    .digest('base64');
  return safeEqual(expected, consumerSignature) ? null : 'Invalid signature - provided signature does not match.';
}

/**
 * `join_with_equals_sign()`: `key=value` pairs of already-encoded keys and values, encoded once
 * more; nested arrays become `key%5Bsub%5D` with the sub-key itself left raw.
 */
function joinWithEqualsSign(params: Iterable<readonly [string, PhpValue]>, prefix = ''): string[] {
  const out: string[] = [];
  for (const [rawKey, value] of params) {
    const key = prefix ? `${prefix}%5B${rawKey}%5D` : rawKey;
    if (value instanceof Map) out.push(...joinWithEqualsSign(value, key));
    else out.push(rfc3986(`${key}=${value}`));
  }
  return out;
}

const encodeValue = (value: PhpValue): PhpValue =>
  value instanceof Map ? new Map([...value].map(([k, v]) => [k, encodeValue(v)])) : rfc3986(value);

/** `wc_rest_urlencode_rfc3986()`: rawurlencode, then `+`→space and `%7E`→`~` (both no-ops today). */
const rfc3986 = (value: string): string => rawurlencode(value).replace(/\+/g, ' ').replace(/%7E/g, '~');

/** PHP `rawurlencode` over a byte (latin1) string. */
function rawurlencode(value: string): string {
  let out = '';
  for (const ch of value) {
    out += /[A-Za-z0-9\-_.~]/.test(ch) ? ch : `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** PHP `rawurldecode`: `%XX` to a byte; malformed escapes stay as they are. */
const rawurldecode = (value: string): string =>
  value.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

/** PHP `empty()` on a request value: missing, `''` and `'0'` all count as empty. */
const phpEmpty = (value: PhpValue | undefined): boolean =>
  value === undefined || value === '' || value === '0' || (value instanceof Map && value.size === 0);

/**
 * PHP `parse_str` as it fills `$_GET`: `+` is a space, `a[b]=1` nests, `a[]=1` appends, a repeated
 * key keeps its first position and its last value, and `.` or space in a name becomes `_`.
 */
export function parsePhpQuery(query: string): PhpArray {
  const root: PhpArray = new Map();
  for (const pair of query.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const name = rawurldecode((eq === -1 ? pair : pair.slice(0, eq)).replace(/\+/g, ' ')).replace(/^ +/, '');
    const value = eq === -1 ? '' : rawurldecode(pair.slice(eq + 1).replace(/\+/g, ' '));
    const open = name.indexOf('[');
    const brackets = open === -1 ? null : /^(?:\[[^\]]*\])+/.exec(name.slice(open));
    let base = open === -1 ? name : brackets ? name.slice(0, open) : `${name.slice(0, open)}_${name.slice(open + 1)}`;
    base = base.replace(/[ .]/g, '_');
    if (!base) continue;
    const subs = brackets ? [...brackets[0].matchAll(/\[([^\]]*)\]/g)].map((m) => m[1]!) : [];
    let node = root;
    let key = base;
    for (const sub of subs) {
      let child = node.get(key);
      if (!(child instanceof Map)) {
        child = new Map();
        node.set(key, child);
      }
      node = child;
      key = sub === '' ? String(nextIndex(node)) : sub;
    }
    node.set(key, value);
  }
  return root;
}

const nextIndex = (array: PhpArray): number =>
  Math.max(-1, ...[...array.keys()].filter((k) => /^(0|[1-9]\d*)$/.test(k)).map(Number)) + 1;

/** Basic credentials: the query pair first (both non-empty), then the Authorization header. */
function basicAuth(get: PhpArray, authorization?: string): { key: string; secret: string } | null {
  const key = get.get('consumer_key');
  const secret = get.get('consumer_secret');
  if (typeof key === 'string' && typeof secret === 'string' && !phpEmpty(key) && !phpEmpty(secret)) return { key, secret };
  const match = /^Basic\s+(.+)$/i.exec(authorization ?? '');
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('latin1');
  const colon = decoded.indexOf(':');
  if (colon <= 0 || colon === decoded.length - 1) return null;
  return { key: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

/** `parse_header()`: `oauth_*` parameters of an `Authorization: OAuth …` header, url-decoded. */
function oauthHeader(authorization?: string): PhpArray {
  const params: PhpArray = new Map();
  if (!authorization?.trim().startsWith('OAuth ')) return params;
  for (const m of authorization.matchAll(/(oauth_[a-z_-]*)=(:?"([^"]*)"|([^,]*))/g)) {
    params.set(m[1]!, rawurldecode((m[3] || m[4] || '').replace(/\+/g, ' ')));
  }
  return params;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'latin1');
  const y = Buffer.from(b, 'latin1');
  return x.length === y.length && timingSafeEqual(x, y);
}
