import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const DIR = join(__dirname, '..', 'fixtures', 'woocommerce');

export interface Delivery {
  topic: string;
  headers: Record<string, string>;
  secret: string | null;
  body: Buffer;
}

/** A webhook delivery exactly as WooCommerce sent it: headers and raw bytes. */
export function delivery(name: string): Delivery {
  const record = JSON.parse(readFileSync(join(DIR, 'deliveries', `${name}.json`), 'utf8')) as Omit<Delivery, 'body'>;
  return { ...record, body: readFileSync(join(DIR, 'deliveries', `${name}.body`)) };
}

/** A REST body from the fixtures, parsed. */
export const restFixture = <T = Record<string, unknown>>(name: string): T =>
  JSON.parse(readFileSync(join(DIR, 'rest', `${name}.json`), 'utf8')) as T;

/** Posts raw bytes with the given headers to the service's webhook endpoint. */
export function postWebhook(baseUrl: string, body: Buffer | string, headers: Record<string, string>): Promise<Response> {
  return fetch(`${baseUrl}/webhooks/woocommerce`, { method: 'POST', headers, body });
}

/** WooCommerce's signature of raw bytes: base64 HMAC-SHA256. */
export const wooSignature = (body: string | Buffer, secret: string): string => createHmac('sha256', secret).update(body).digest('base64');

/**
 * Signs `payload` (JSON-encoded unless it is already a string) the way WooCommerce signs,
 * with the headers of `base` and the given topic.
 */
export function signedDelivery(base: Delivery, payload: unknown, secret: string, topic = base.topic): { body: string; headers: Record<string, string> } {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return { body, headers: { ...base.headers, 'X-WC-Webhook-Topic': topic, 'X-WC-Webhook-Signature': wooSignature(body, secret) } };
}

/** The processing order 4711 (printer 101 + 2 toners 205) as a JSON object to edit. */
export const processingOrder = (): Record<string, unknown> =>
  JSON.parse(delivery('order-updated-processing').body.toString('utf8')) as Record<string, unknown>;
