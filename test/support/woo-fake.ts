import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createAuthenticator } from './woo-fake-auth';
import { DENIED, storeRoutes, wooError, type Reply, type WooJson, type WooRoute, type WooStore } from './woo-fake-routes';
import { syncRoutes } from './woo-fake-sync-routes';

/**
 * An HTTP fake of WooCommerce's REST API (`/wp-json/wc/v3`) that authenticates like
 * `WC_REST_Authentication` (OAuth 1.0a over HTTP, Basic over HTTPS) and answers with the shapes
 * and errors of `test/fixtures/woocommerce/rest/`. Routes: `woo-fake-routes.ts` (coupons,
 * products) and `woo-fake-sync-routes.ts` (webhooks, orders).
 */
export interface WooFakeOptions {
  consumerKey: string;
  consumerSecret: string;
  /** Serve HTTPS with a throw-away self-signed certificate (clients must not verify it). */
  https?: boolean;
  /** Site timezone, minutes east of UTC. Default 60: Europe/Warsaw in winter, as in the fixtures. */
  utcOffsetMinutes?: number;
}

/** An error answer (`{status, code}`, optionally `Retry-After` seconds) or a delay before a normal one. */
export type WooFault = { status: number; code?: string; retryAfter?: number } | { hangMs: number };

export interface RecordedRequest {
  method: string;
  /** Full path, e.g. `/wp-json/wc/v3/coupons`. */
  path: string;
  /** Path under `/wp-json/wc/v3`, e.g. `/coupons`. */
  route: string;
  /** Query without `oauth_*`, `consumer_key` and `consumer_secret`. */
  query: Record<string, string>;
  /** Parsed JSON body, the raw text when it is not JSON, or undefined when empty. */
  body: unknown;
}

export interface WooFake {
  /** Store base URL, e.g. `http://127.0.0.1:PORT`. */
  url: string;
  coupons: Map<number, WooJson>;
  products: Map<number, WooJson>;
  /** Stored with their `secret` (REST answers leave it out). */
  webhooks: Map<number, WooJson>;
  /** REST v3 order bodies served by `GET /orders`; push fixtures here. */
  orders: WooJson[];
  requests: RecordedRequest[];
  /** Adds a product built on `rest/product.json`; unspecified fields keep the template's values. */
  addProduct(product: { id: number; name: string; price?: string } & WooJson): WooJson;
  /** The next `count` requests (authenticated or not) meet `fault` first. */
  failNext(count: number, fault: WooFault): void;
  close(): Promise<void>;
}

const API_PREFIX = '/wp-json/wc/v3';
const AUTH_QUERY = /^(oauth_.*|consumer_key|consumer_secret)$/;
const FIXTURES = join(__dirname, '../fixtures/woocommerce/rest');

const fixture = (name: string): WooJson => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as WooJson;

/** Starts the fake on 127.0.0.1, a free port. */
export async function startWooFake(opts: WooFakeOptions): Promise<WooFake> {
  const faults: WooFault[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const requests: RecordedRequest[] = [];
  const routes: WooRoute[] = [...storeRoutes(), ...syncRoutes()];
  const ids = { coupon: 9123, webhook: 7, meta: 61001 };
  const templates = { coupon: fixture('coupon-created.json'), product: fixture('product.json'), webhook: fixture('webhook.json') };
  const store: WooStore = {
    url: '',
    utcOffsetMinutes: opts.utcOffsetMinutes ?? 60,
    coupons: new Map(),
    products: new Map([[202, structuredClone(templates.product)]]),
    webhooks: new Map(),
    orders: [],
    templates,
    nextId: (kind) => ids[kind]++,
  };
  let authenticate: ReturnType<typeof createAuthenticator> = () => ({ kind: 'anonymous' });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const rawUrl = req.url ?? '/';
    const url = new URL(rawUrl, 'http://fake.invalid');
    const path = url.pathname;
    const route = path.startsWith(`${API_PREFIX}/`) ? path.slice(API_PREFIX.length) : path;
    const query = Object.fromEntries([...url.searchParams].filter(([k]) => !AUTH_QUERY.test(k)));
    requests.push({ method: req.method ?? 'GET', path, route, query, body: parseLoose(raw) });

    const fault = faults.shift();
    if (fault && 'status' in fault) {
      const reply = wooError(fault.status, fault.code ?? 'fake_fault', 'Injected fault.');
      if (fault.retryAfter !== undefined) reply.headers = { 'Retry-After': String(fault.retryAfter) };
      return send(res, reply);
    }
    if (fault) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => (timers.delete(timer), resolve()), fault.hangMs);
        timers.add(timer);
      });
      // The request stream is already ended (autoDestroy); only a closed socket means the client left.
      if (res.destroyed || !res.socket || res.socket.destroyed) return;
    }
    send(res, dispatch(req, rawUrl, route, url.searchParams, raw));
  }

  function dispatch(req: IncomingMessage, rawUrl: string, route: string, query: URLSearchParams, raw: string): Reply {
    const noRoute = wooError(404, 'rest_no_route', 'No route was found matching the URL and request method.');
    if (!rawUrl.startsWith(`${API_PREFIX}/`)) return noRoute;
    const isForm = /^application\/x-www-form-urlencoded/i.test(req.headers['content-type'] ?? '');
    const auth = authenticate({
      method: req.method ?? 'GET',
      rawUrl,
      authorization: req.headers.authorization,
      formBody: isForm ? Buffer.from(raw, 'utf8').toString('latin1') : undefined,
    });
    if (auth.kind === 'rejected') return wooError(auth.error.status, auth.error.code, auth.error.message);
    for (const r of routes) {
      const match = r.method === req.method ? r.path.exec(route) : null;
      if (!match) continue;
      let body: WooJson = {};
      if (raw && !isForm) {
        try {
          body = JSON.parse(raw) as WooJson;
        } catch {
          return wooError(400, 'rest_invalid_json', 'Invalid JSON body passed.');
        }
      }
      if (auth.kind === 'anonymous') return wooError(401, DENIED[r.denied].code, DENIED[r.denied].message);
      return r.handle({ params: match.slice(1), query, body }, store);
    }
    return noRoute;
  }

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((err: unknown) => send(res, wooError(500, 'internal_server_error', String(err))));
  };
  const tls = opts.https ? await selfSignedCertificate() : null;
  const server = tls ? https.createServer(tls, listener) : http.createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  store.url = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  authenticate = createAuthenticator({ ...opts, https: Boolean(tls), homeUrl: store.url });

  return {
    url: store.url,
    coupons: store.coupons,
    products: store.products,
    webhooks: store.webhooks,
    orders: store.orders,
    requests,
    addProduct(product) {
      const slug = product.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
      const json: WooJson = {
        ...structuredClone(templates.product),
        slug,
        permalink: `${store.url}/produkt/${slug}/`,
        sku: '',
        price: product.price ?? '',
        regular_price: product.price ?? '',
        images: [],
        related_ids: [],
        cross_sell_ids: [],
        ...product,
      };
      store.products.set(product.id, json);
      return json;
    },
    failNext(count, fault) {
      for (let i = 0; i < count; i++) faults.push(fault);
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: ServerResponse, reply: Reply): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(reply.status, { 'Content-Type': 'application/json; charset=UTF-8', ...reply.headers });
  // PHP's json_encode escapes `/` (WordPress sends `https:\/\/…`).
  res.end(JSON.stringify(reply.body).replace(/\//g, '\\/'));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseLoose(raw: string): unknown {
  if (!raw) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** A key and certificate for 127.0.0.1 from the `openssl` CLI, made in a temp dir and removed. */
async function selfSignedCertificate(): Promise<{ key: Buffer; cert: Buffer }> {
  const dir = await mkdtemp(join(tmpdir(), 'woo-fake-tls-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    await promisify(execFile)('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    ]);
    return { key: await readFile(key), cert: await readFile(cert) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
