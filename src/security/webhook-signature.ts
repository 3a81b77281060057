import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors';

/**
 * Entities that WordPress's `wp_specialchars_decode( $text, ENT_QUOTES )` turns back into
 * characters (wp-includes/formatting.php): `&amp; &lt; &gt; &quot;`, the decimal forms
 * `&#38; &#60; &#62; &#34; &#39;` with any number of leading zeros, and the hex forms
 * `&#x26; &#x22; &#x27;` (the `x` in either case, leading zeros allowed). Named entities
 * are case-sensitive there, so `&AMP;` stays as it is.
 */
const WP_ENTITY = /&(?:#0*(38|60|62|34|39)|#[xX]0*(26|22|27)|(amp|lt|gt|quot));/g;

const DECODED: Readonly<Record<string, string>> = {
  '38': '&', '60': '<', '62': '>', '34': '"', '39': "'",
  '26': '&', '22': '"', '27': "'",
  amp: '&', lt: '<', gt: '>', quot: '"',
};

/**
 * Decodes a string the way WordPress's `wp_specialchars_decode( $text, ENT_QUOTES )` does.
 * One left-to-right pass, never recursive: `&amp;lt;` becomes `&lt;`, as in PHP's `strtr`.
 */
export function wpSpecialcharsDecode(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(WP_ENTITY, (whole, dec?: string, hex?: string, named?: string) => {
    return DECODED[(dec ?? hex ?? named) as string] ?? whole;
  });
}

const hmacBase64 = (key: string, body: Buffer): Buffer =>
  Buffer.from(createHmac('sha256', key).update(body).digest('base64'), 'utf8');

const sameBytes = (a: Buffer, b: Buffer): boolean => a.length === b.length && timingSafeEqual(a, b);

/**
 * Verifies `X-WC-Webhook-Signature`: base64 HMAC-SHA256 over the exact bytes received.
 *
 * WooCommerce keys the HMAC with `wp_specialchars_decode( $secret, ENT_QUOTES )` of the
 * secret it stored (`WC_Webhook::generate_signature()`), and WordPress stores the secret
 * HTML-escaped. A merchant may paste either form into Encore, so both the secret as given
 * and its decoded form are accepted.
 *
 * @param rawBody the request body exactly as received, before any parsing
 * @param signatureHeader the `X-WC-Webhook-Signature` header value, if any
 * @param secret the webhook secret configured in Encore
 * @throws AppError `invalid_signature` when the header is missing or does not match
 */
export function verifyWooSignature(rawBody: Buffer, signatureHeader: string | undefined, secret: string): void {
  const given = signatureHeader?.trim();
  if (!given) {
    throw new AppError('invalid_signature', 'The X-WC-Webhook-Signature header is missing.', { reason: 'missing_signature' });
  }
  const givenBytes = Buffer.from(given, 'utf8');
  const candidates = new Set([secret, wpSpecialcharsDecode(secret)]);
  let matched = false;
  // Check every candidate, not the first hit only, so timing does not reveal which form matched.
  for (const key of candidates) {
    if (sameBytes(hmacBase64(key, rawBody), givenBytes)) matched = true;
  }
  if (!matched) {
    throw new AppError('invalid_signature', 'The webhook signature does not match the body.', { reason: 'bad_signature' });
  }
}
