import { randomBytes } from 'node:crypto';
import { signRequest } from '../../src/security/signed-request';
import type { TestEncore } from '../support/encore';

/**
 * The request target fetch really sends for `pathWithQuery` (WHATWG URL parsing percent-encodes
 * spaces and quotes and resolves dot segments): the signature has to cover these bytes.
 */
export function wireTarget(baseUrl: string, pathWithQuery: string): string {
  const url = new URL(`${baseUrl}${pathWithQuery}`);
  return `${url.pathname}${url.search}`;
}

/**
 * Sends a request signed like the plugin signs it, over the target as it goes on the wire;
 * `id` defaults to a fresh random one. Returns the response and the target that was signed.
 */
export async function sendSigned(
  encore: TestEncore,
  method: string,
  pathWithQuery: string,
  body: string | Buffer = '',
  opts: { id?: string; timestamp?: number; contentType?: string } = {},
): Promise<{ res: Response; target: string; id: string }> {
  const target = wireTarget(encore.url, pathWithQuery);
  const id = opts.id ?? `fz_${randomBytes(9).toString('hex')}`;
  const headers: Record<string, string> = {
    ...signRequest(encore.config.shimSecret, { id, timestamp: opts.timestamp ?? Math.floor(Date.now() / 1000), method, pathWithQuery: target, body }),
  };
  if (body.length > 0) headers['Content-Type'] = opts.contentType ?? 'application/json';
  const res = await fetch(`${encore.url}${target}`, { method, headers, body: body.length > 0 ? body : undefined });
  return { res, target, id };
}
