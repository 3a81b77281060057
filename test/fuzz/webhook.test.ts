import { connect } from 'node:net';
import fc from 'fast-check';
import { z } from 'zod';
import { delivery, postWebhook, wooSignature } from '../support/fixtures';
import { TEST_SECRETS } from '../support/encore';
import { mutatedArb, withDuplicateKey } from './mutate';
import { answerOf, deeplyNested, expectCleanAnswer, expectCleanLogs, nastyJson, nastyNumber, nastyString, newKeys, storedKeys, webhookStage, type Answer } from './support';

const RUNS = 150;
const SECRET = TEST_SECRETS.WC_WEBHOOK_SECRET;
const ORDER_FIXTURES = [
  'order-created-pending',
  'order-updated-processing',
  'order-updated-cancelled',
  'order-updated-completed-with-coupon',
  'order-updated-failed',
  'order-updated-refunded',
];

/** A stored order snapshot: the domain `Order`, nothing more, nothing less. */
const decimal = z.string().regex(/^-?\d{1,12}(\.\d{1,4})?$/);
const isoOrNull = z.iso.datetime().nullable();
const snapshotSchema = z
  .object({
    id: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    status: z.string().min(1),
    email: z.string().nullable(),
    customerId: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    items: z.array(
      z.object({ productId: z.number().int().min(0), variationId: z.number().int().min(0), quantity: z.number().int().min(0), total: decimal }).strict(),
    ),
    total: decimal,
    currency: z.string().regex(/^[A-Z0-9]{3,10}$/),
    paidAt: isoOrNull,
    modifiedAt: isoOrNull,
    refundedTotal: decimal,
    couponCodes: z.array(z.string()),
    meta: z.record(z.string(), z.string()),
  })
  .strict();

/** Header values fetch can send: visible ASCII and spaces. */
const headerValue = fc.stringMatching(/^[\x21-\x7e][\x20-\x7e]{0,60}$/);
const topicArb = fc.oneof(
  fc.constantFrom('order.created', 'order.updated', 'order.deleted', 'order.restored', 'product.created', 'action.woocommerce_x', ''),
  headerValue,
);

/**
 * The webhook endpoint under random input, on the API role only (no worker drains the queue,
 * so every job a request made is still there to count).
 */
describe('fuzzing POST /webhooks/woocommerce', () => {
  const api = webhookStage();

  const jobCount = async (): Promise<number> => {
    const counts = await api.queue.getJobCounts('waiting', 'delayed', 'active', 'completed', 'failed', 'prioritized');
    return Object.values(counts).reduce((a, b) => a + b, 0);
  };

  /**
   * Posts, checks the answer, and checks Redis: a refused delivery adds no key and no job; an
   * accepted one leaves a snapshot that parses and a job for that order.
   */
  async function post(body: string | Buffer, headers: Record<string, string>, allowed: number[], what: string): Promise<Answer> {
    const [keysBefore, jobsBefore] = [await storedKeys(api.encore), await jobCount()];
    const answer = await answerOf(await postWebhook(api.encore.url, body, headers));
    expectCleanAnswer(answer, allowed, what);
    if (answer.status === 202) {
      const json = JSON.parse(Buffer.from(body).toString('utf8')) as { id: number };
      if (headers['X-WC-Webhook-Topic'] !== 'order.deleted') {
        const stored = await api.encore.redis.get(api.encore.keys.orderSnapshot(json.id));
        expect(snapshotSchema.safeParse(JSON.parse(stored!)).success).toBe(true);
      }
      const jobs = await api.queue.getJobs(['waiting']);
      expect(jobs.some((job) => job.data.orderId === json.id)).toBe(true);
    } else {
      expect(newKeys(keysBefore, await storedKeys(api.encore))).toEqual([]);
      expect(await jobCount()).toBe(jobsBefore);
    }
    return answer;
  }

  const signedHeaders = (body: string | Buffer, topic: string): Record<string, string> => ({
    'Content-Type': 'application/json',
    'X-WC-Webhook-Topic': topic,
    'X-WC-Webhook-Signature': wooSignature(body, SECRET),
  });

  it('refuses unsigned bytes with 401, except the exact creation ping', async () => {
    const body = fc.oneof(
      fc.uint8Array({ maxLength: 2000 }).map((bytes) => Buffer.from(bytes)),
      fc.constantFrom('webhook_id=7', 'webhook_id=', 'webhook_id=7&x=1', 'webhook_id=-1', `webhook_id=${'9'.repeat(21)}`).map((s) => Buffer.from(s)),
    );
    const headers = fc.record(
      { 'Content-Type': fc.oneof(headerValue, fc.constantFrom('application/x-www-form-urlencoded', 'application/json', 'text/plain; charset=utf-16')), 'X-WC-Webhook-Topic': topicArb },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(body, headers, async (bytes, h) => {
        const ping = /^webhook_id=\d{1,20}$/.test(bytes.toString('latin1'));
        const answer = await post(bytes, h, ping ? [200] : [401], `unsigned ${bytes.length} bytes`);
        expect(answer.status).toBe(ping ? 200 : 401);
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses a garbage signature, one for another body, or one made with another secret with 401', async () => {
    const fixture = delivery('order-updated-processing');
    const signature = fc.oneof(
      headerValue,
      fc.constantFrom(fixture.headers['X-WC-Webhook-Signature']!, wooSignature(fixture.body, SECRET.toUpperCase())),
      fc.string({ maxLength: 30 }).map((other) => wooSignature(`${fixture.body.toString('utf8')}${other} `, SECRET)),
      fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('base64')),
    );
    const body = fc.oneof(fc.constant(fixture.body.toString('utf8').replace('"processing"', '"completed"')), nastyJson().map((j) => JSON.stringify(j) ?? ''));
    await fc.assert(
      fc.asyncProperty(body, signature, topicArb, async (text, sig, topic) => {
        fc.pre(sig !== wooSignature(text, SECRET));
        const answer = await post(text, { 'Content-Type': 'application/json', 'X-WC-Webhook-Topic': topic, 'X-WC-Webhook-Signature': sig }, [401], 'bad signature');
        expect(answer.status).toBe(401);
      }),
      { numRuns: RUNS },
    );
  });

  it('answers validly signed arbitrary JSON with 202 or 400, and stores only orders', async () => {
    const body = fc.oneof(
      nastyJson(6).map((json) => JSON.stringify(json) ?? 'null'),
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')),
      fc.tuple(fc.integer({ min: 1, max: 5000 }), fc.constantFrom('array' as const, 'object' as const)).map(([depth, kind]) => deeplyNested(depth, kind)),
      fc.constantFrom('', ' ', 'null', '1e999', '-0', '{"id":1e400}', '{"id":"4711"}', '{"__proto__":{"id":1}}'),
    );
    await fc.assert(
      fc.asyncProperty(body, topicArb, async (text, topic) => {
        await post(text, signedHeaders(text, topic), [202, 400], `signed ${text.slice(0, 80)} as ${topic}`);
      }),
      { numRuns: RUNS },
    );
  });

  it('answers validly signed mutations of real deliveries with 202 or 400, never storing a bad snapshot', async () => {
    const mutated = fc.constantFrom(...ORDER_FIXTURES).chain((name) => {
      const d = delivery(name);
      return fc.tuple(fc.constant(d.headers['X-WC-Webhook-Topic']!), mutatedArb(JSON.parse(d.body.toString('utf8'))));
    });
    await fc.assert(
      fc.asyncProperty(mutated, async ([topic, json]) => {
        const text = JSON.stringify(json);
        await post(text, signedHeaders(text, topic), [202, 400], `mutated ${topic}: ${text.slice(0, 200)}`);
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('answers validly signed deliveries whose fields Encore reads hold anything with 202 or 400', async () => {
    const read = ['id', 'status', 'currency', 'total', 'customer_id', 'billing', 'line_items', 'coupon_lines', 'refunds', 'meta_data', 'date_paid_gmt', 'date_modified_gmt'];
    const base = JSON.parse(delivery('order-updated-completed-with-coupon').body.toString('utf8')) as Record<string, unknown>;
    const value = fc.oneof(nastyJson(3), nastyString(), nastyNumber());
    const changes = fc.dictionary(fc.constantFrom(...read), value, { minKeys: 1, maxKeys: 3 });
    await fc.assert(
      fc.asyncProperty(changes, topicArb, async (patch, topic) => {
        const text = JSON.stringify({ ...base, ...patch });
        await post(text, signedHeaders(text, topic), [202, 400], `${topic} with ${JSON.stringify(patch).slice(0, 200)}`);
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('answers signed deliveries with a duplicated key according to the key that JSON.parse keeps', async () => {
    const order = JSON.parse(delivery('order-updated-processing').body.toString('utf8')) as Record<string, unknown>;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('id', 'status', 'total', 'line_items', 'currency', 'customer_id'), nastyJson(2), async (key, first) => {
        const text = withDuplicateKey(order, key, first);
        const answer = await post(text, signedHeaders(text, 'order.updated'), [202], `duplicate ${key}`);
        expect(answer.status).toBe(202);
      }),
      { numRuns: 60 },
    );
  });

  it('refuses bodies over 1 MB with 413 before reading them, signed or not', async () => {
    for (const size of [1024 * 1024 + 1, 3 * 1024 * 1024]) {
      const text = `{"id":1,"pad":"${'x'.repeat(size)}"}`;
      const answer = await post(text, signedHeaders(text, 'order.updated'), [413], `${size} bytes`);
      expect(answer.status).toBe(413);
    }
  });

  it('answers odd content types and encodings with 4xx or by the signature alone', async () => {
    const fixture = delivery('order-updated-processing');
    const encodings = fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x-unknown', 'gzip, gzip');
    await fc.assert(
      fc.asyncProperty(fc.option(headerValue), fc.option(encodings), async (type, encoding) => {
        const headers: Record<string, string> = { ...fixture.headers };
        if (type !== null) headers['Content-Type'] = type;
        if (encoding !== null) headers['Content-Encoding'] = encoding;
        const answer = await post(fixture.body, headers, [202, 400, 415], `type ${type} encoding ${encoding}`);
        if (encoding === null || encoding === 'identity') expect(answer.status).toBe(202);
      }),
      { numRuns: 80 },
    );
  });

  /** Sends raw HTTP with a Content-Length that lies; resolves with the first status line's code, or null when no answer came. */
  function rawPost(declared: number, body: Buffer, extraHeaders: string): Promise<number | null> {
    const port = Number(new URL(api.encore.url).port);
    return new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1');
      let data = '';
      const timer = setTimeout(() => (socket.destroy(), resolve(null)), 1500);
      socket.on('data', (chunk) => {
        data += chunk.toString('latin1');
        const status = /^HTTP\/1\.1 (\d{3})/.exec(data);
        if (status) (clearTimeout(timer), socket.destroy(), resolve(Number(status[1])));
      });
      socket.on('error', () => (clearTimeout(timer), resolve(null)));
      socket.write(
        `POST /webhooks/woocommerce HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: ${declared}\r\n${extraHeaders}\r\n`,
      );
      socket.end(body);
    });
  }

  it('survives Content-Length lies: a 4xx or no answer, never a 5xx, and the service still serves', async () => {
    const fixture = delivery('order-updated-processing');
    const signature = `X-WC-Webhook-Signature: ${fixture.headers['X-WC-Webhook-Signature']}\r\nX-WC-Webhook-Topic: order.updated\r\n`;
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: fixture.body.length * 2 }), fc.boolean(), fc.boolean(), async (declared, signed, chunked) => {
        fc.pre(declared !== fixture.body.length);
        const keysBefore = await storedKeys(api.encore);
        const extra = `${signed ? signature : ''}${chunked ? 'Transfer-Encoding: chunked\r\n' : ''}`;
        const status = await rawPost(declared, fixture.body, extra);
        if (status !== null) (answered++, expect([400, 401]).toContain(status));
        expect(newKeys(keysBefore, await storedKeys(api.encore))).toEqual([]);
      }),
      { numRuns: 40 },
    );
    expect(answered).toBeGreaterThan(0);
    expect((await fetch(`${api.encore.url}/healthz`)).status).toBe(200);
  });

  it('logs no stack, source path, secret or email address, whatever came in', () => {
    expectCleanLogs(api.encore);
  });

  it('leaves nothing but order snapshots and queue entries under the namespace, every snapshot valid', async () => {
    const keys = await storedKeys(api.encore);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(key).toMatch(/^(order:\d+:snapshot|q:[a-z]+:.+)$/);
      if (key.endsWith(':snapshot')) {
        const parsed = snapshotSchema.safeParse(JSON.parse((await api.encore.redis.get(`${api.encore.keys.prefix}${key}`))!));
        expect(parsed.error?.issues ?? []).toEqual([]);
      }
    }
  });
});

