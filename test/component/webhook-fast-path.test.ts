import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { Queue } from 'bullmq';
import { createOrderIngest } from '../../src/domain/order-ingest.service';
import { buildApp } from '../../src/http/app';
import { webhookRoutes } from '../../src/http/webhook.routes';
import { createLogger } from '../../src/logger';
import { createQueues } from '../../src/queue/queues';
import { createKeys } from '../../src/storage/keys';
import { createOrderSnapshotStore } from '../../src/storage/order-snapshot-store';
import { delivery, postWebhook, processingOrder, signedDelivery } from '../support/fixtures';
import { useWebhookStage } from '../support/webhook-stage';

/**
 * The node:http fast path in front of Express answers WooCommerce deliveries exactly as the
 * Express route does; everything else still reaches Express.
 */
describe('POST /webhooks/woocommerce fast path', () => {
  const stage = useWebhookStage();
  const { queued, snapshotKeys } = stage;

  /** The Express route alone (no fast path) on its own namespace of the same Redis. */
  async function startExpressOnly(): Promise<{ url: string; close(): Promise<void> }> {
    const keys = createKeys(`t${randomBytes(6).toString('hex')}`, { retentionSeconds: 86_400 });
    const queues = createQueues(stage.encore.redis, keys);
    const ingest = createOrderIngest({ snapshots: createOrderSnapshotStore(stage.encore.redis, keys), queues });
    const logger = createLogger('silent', new Writable({ write: (_c, _e, done) => done() }));
    const app = buildApp({ logger, trustProxy: 0, routers: [webhookRoutes({ secret: stage.encore.config.wc.webhookSecret, ingest })] });
    const server = await new Promise<http.Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      async close() {
        await new Promise((r) => server.close(r));
        await queues.close();
        const left = await stage.encore.redis.keys(`${keys.prefix}*`);
        if (left.length) await stage.encore.redis.del(...left);
      },
    };
  }

  /** What a client can tell apart in an answer: status, type, body and the common headers. */
  async function answer(res: Response) {
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      body: await res.text(),
      robots: res.headers.get('x-robots-tag'),
      nosniff: res.headers.get('x-content-type-options'),
      requestId: /^[0-9a-f-]{36}$/.test(res.headers.get('x-request-id') ?? ''),
    };
  }

  it('answers every kind of delivery exactly as the Express route does', async () => {
    const express = await startExpressOnly();
    try {
      const d = delivery('order-updated-processing');
      const ping = delivery('ping');
      const { 'X-WC-Webhook-Signature': _omit, ...unsigned } = d.headers;
      const tampered = Buffer.from(d.body);
      tampered[100]! ^= 1;
      const cases: [string, Buffer | string, Record<string, string>][] = [
        ['ping', ping.body, ping.headers],
        ['order', d.body, d.headers],
        ['same order again', d.body, d.headers],
        ['deleted', delivery('order-deleted').body, delivery('order-deleted').headers],
        ['no signature', d.body, unsigned],
        ['wrong signature', tampered, d.headers],
        ['not JSON', ...pair(signedDelivery(d, 'not json', d.secret!))],
        ['not an order', ...pair(signedDelivery(d, { id: 5, name: 'A product' }, d.secret!))],
        ['not an order topic', ...pair(signedDelivery(d, processingOrder(), d.secret!, 'product.updated'))],
        ['empty body', '', d.headers],
        ['over 1 MB', Buffer.alloc(1024 * 1024 + 10, 0x20), d.headers],
      ];
      for (const [name, body, headers] of cases) {
        const fast = await answer(await postWebhook(stage.encore.url, body, headers));
        const slow = await answer(await postWebhook(express.url, body, headers));
        expect({ name, ...fast }).toEqual({ name, ...slow });
      }
      // The answers differ by case, so the comparison above compared something.
      const statuses = [];
      for (const [, body, headers] of cases) statuses.push((await postWebhook(stage.encore.url, body, headers)).status);
      expect(statuses).toEqual([200, 202, 202, 202, 401, 401, 400, 400, 400, 401, 413]);
    } finally {
      await express.close();
    }
  });

  it('stores the snapshot and queues the job before answering 202, and logs one request line', async () => {
    const d = delivery('order-updated-processing');
    const res = await fetch(`${stage.encore.url}/webhooks/woocommerce?delivery=1`, {
      method: 'POST',
      headers: { ...d.headers, 'X-Request-Id': 'wc-delivery-42' },
      body: d.body,
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ status: 'accepted' });
    expect(res.headers.get('x-request-id')).toBe('wc-delivery-42');
    expect(await snapshotKeys()).toHaveLength(1);
    expect((await queued()).map((j) => j.data)).toEqual([{ orderId: 4711, event: 'upserted' }]);
    const lines = stage.encore.logs.filter((l) => l.includes('wc-delivery-42')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([expect.objectContaining({ method: 'POST', path: '/webhooks/woocommerce', status: 202, msg: 'request' })]);
  });

  it('hands other methods on the path to Express: 404, as before', async () => {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const res = await fetch(`${stage.encore.url}/webhooks/woocommerce`, { method });
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
    }
    expect(await snapshotKeys()).toHaveLength(0);
  });

  it('answers 413 to a chunked body over 1 MB, with no length up front, and stores nothing', async () => {
    const d = delivery('order-updated-processing');
    const { port } = new URL(stage.encore.url);
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/webhooks/woocommerce', headers: d.headers }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      // Sixteen 128 KB chunks: 2 MB in all, sent as Transfer-Encoding: chunked.
      for (let i = 0; i < 16; i++) req.write(Buffer.alloc(128 * 1024, 0x20));
      req.end();
    });
    expect(status).toBe(413);
    expect(JSON.parse(body)).toEqual({ error: { code: 'payload_too_large', message: 'The body is larger than 1 MB.' } });
    expect(await snapshotKeys()).toHaveLength(0);
    expect(await queued()).toHaveLength(0);
  });

  it('hands a compressed body to Express, which inflates it before the signature check', async () => {
    const d = delivery('order-updated-processing');
    const res = await postWebhook(stage.encore.url, gzipSync(d.body), { ...d.headers, 'Content-Encoding': 'gzip' });
    expect(res.status).toBe(202);
    expect(await queued()).toHaveLength(1);
  });
});

const pair = (s: { body: string; headers: Record<string, string> }): [string, Record<string, string>] => [s.body, s.headers];
