import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { createSignedRequestVerifier, signRequest } from '../../src/security/signed-request';

const SIGN_PHP = join(__dirname, '..', '..', 'plugin-php-shim', 'bin', 'sign.php');

/** The plugin's PHP signer (hash_hmac) and the service's TypeScript side, on fresh requests. */
describe('PHP signer ↔ TypeScript verifier', () => {
  const secret = 'shim-secret-Zx81Qp0Lm2/ü→プ';
  const cases = [
    ['POST', '/v1/thank-you', '{"orderId":4711,"email":"zofia.wasik@example.com","note":"Łódź / 東京"}'],
    ['GET', '/v1/admin/stats?from=2026-11-01&to=2026-11-30', ''],
    ['PUT', '/v1/admin/rules/r_01', '{"name":"Drukarka → toner / プリンター","enabled":false}'],
    ['DELETE', '/v1/admin/rules/r_01', ''],
  ] as const;

  it.each(cases)('%s %s: PHP signs what TypeScript verifies, byte for byte the same signature', async (method, path, body) => {
    const id = `php_${Math.random().toString(36).slice(2)}`;
    const timestamp = 1795702000;
    const php = JSON.parse(execFileSync('php', [SIGN_PHP, method, path, body, secret, id, String(timestamp)], { encoding: 'utf8' })) as Record<string, string>;
    const ts = signRequest(secret, { id, timestamp, method, pathWithQuery: path, body });
    expect(php).toEqual(ts);

    const verifier = createSignedRequestVerifier({ secrets: [secret], markSeen: async () => true, now: () => timestamp * 1000 });
    await expect(
      verifier.verify({ method, pathWithQuery: path, rawBody: Buffer.from(body, 'utf8'), headers: Object.fromEntries(Object.entries(php).map(([k, v]) => [k.toLowerCase(), v])) }),
    ).resolves.toBeUndefined();
    const tampered = { ...php, 'Encore-Signature': ts['Encore-Signature'].replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) };
    await expect(
      verifier.verify({ method, pathWithQuery: path, rawBody: Buffer.from(body, 'utf8'), headers: Object.fromEntries(Object.entries(tampered).map(([k, v]) => [k.toLowerCase(), v])) }),
    ).rejects.toMatchObject({ code: 'invalid_signature' });
  });
});
