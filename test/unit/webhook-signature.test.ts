import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../src/errors';
import { verifyWooSignature, wpSpecialcharsDecode } from '../../src/security/webhook-signature';
import { appErrorOf } from '../support/errors';

interface Delivery {
  name: string;
  body: Buffer;
  signature: string;
  secret: string;
  secretStored?: string;
}

const dir = join(__dirname, '../fixtures/woocommerce/deliveries');

function loadDeliveries(): Delivery[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => {
      const rec = JSON.parse(readFileSync(join(dir, f), 'utf8')) as {
        headers: Record<string, string>;
        secret: string | null;
        secret_stored?: string;
      };
      const name = f.replace(/\.json$/, '');
      return { rec, name };
    })
    .filter(({ rec }) => rec.secret !== null)
    .map(({ rec, name }) => ({
      name,
      body: readFileSync(join(dir, `${name}.body`)),
      signature: rec.headers['X-WC-Webhook-Signature'] as string,
      secret: rec.secret as string,
      secretStored: rec.secret_stored,
    }));
}

const deliveries = loadDeliveries();

describe('WooCommerce webhook signature', () => {
  it('has signed deliveries to check', () => {
    expect(deliveries.length).toBeGreaterThanOrEqual(5);
  });

  describe.each(deliveries.map((d) => [d.name, d] as const))('delivery %s', (_name, d) => {
    it('verifies on the exact bytes as sent', () => {
      expect(() => verifyWooSignature(d.body, d.signature, d.secret)).not.toThrow();
    });

    it('fails when any single byte is changed', () => {
      const positions = [0, 1, d.body.length >> 2, d.body.length >> 1, d.body.length - 2, d.body.length - 1];
      for (const at of positions) {
        const changed = Buffer.from(d.body);
        changed[at] = (changed[at] as number) ^ 0x01;
        const err = appErrorOf(() => verifyWooSignature(changed, d.signature, d.secret));
        expect(err.code).toBe('invalid_signature');
      }
    });

    it('fails with a different secret', () => {
      const err = appErrorOf(() => verifyWooSignature(d.body, d.signature, `${d.secret}x`));
      expect(err.code).toBe('invalid_signature');
      expect(err.message).toMatch(/does not match/);
    });
  });

  it('fails on a body rebuilt by JSON.parse and JSON.stringify (PHP escapes "/" and non-ASCII)', () => {
    const rebuilt = deliveries
      .map((d) => ({ d, bytes: Buffer.from(JSON.stringify(JSON.parse(d.body.toString('utf8')))) }))
      // `{"id":4713}` survives a round trip unchanged; every order body does not.
      .filter(({ d, bytes }) => !bytes.equals(d.body));
    expect(rebuilt.length).toBeGreaterThanOrEqual(5);
    for (const { d, bytes } of rebuilt) {
      const err = appErrorOf(() => verifyWooSignature(bytes, d.signature, d.secret));
      expect(err.code).toBe('invalid_signature');
    }
  });

  it('verifies a secret with HTML entities both as typed and as WordPress stores it', () => {
    const d = deliveries.find((x) => x.secretStored !== undefined);
    expect(d).toBeDefined();
    const { body, signature, secret, secretStored } = d as Delivery & { secretStored: string };
    expect(secretStored).not.toBe(secret);
    expect(wpSpecialcharsDecode(secretStored)).toBe(secret);
    expect(() => verifyWooSignature(body, signature, secret)).not.toThrow();
    expect(() => verifyWooSignature(body, signature, secretStored)).not.toThrow();
  });

  it('rejects a request without the signature header, saying so', () => {
    const d = deliveries[0] as Delivery;
    for (const header of [undefined, '', '  ']) {
      const err = appErrorOf(() => verifyWooSignature(d.body, header, d.secret));
      expect(err.code).toBe('invalid_signature');
      expect(err.status).toBe(401);
      expect(err.message).toMatch(/missing/);
    }
  });

  it('rejects a signature of another length without throwing a RangeError', () => {
    const d = deliveries[0] as Delivery;
    const err = appErrorOf(() => verifyWooSignature(d.body, d.signature.slice(0, -2), d.secret));
    expect(err.code).toBe('invalid_signature');
  });
});

describe('wpSpecialcharsDecode, as WordPress with ENT_QUOTES', () => {
  it.each([
    ['Ab&amp;Cd12&quot;Ef34', 'Ab&Cd12"Ef34'],
    ['&lt;&gt;', '<>'],
    ['&#039;&#39;&#x27;&#X27;&#0039;', "'''''"],
    ['&#034;&#34;&#x22;&#038;&#38;&#x26;&#60;&#62;', '"""&&&<>'],
    ['&amp;lt;', '&lt;'],
    ['&AMP;&nbsp;&#40;&apos;', '&AMP;&nbsp;&#40;&apos;'],
    ['k3Xq9vLmP2wR7tYz', 'k3Xq9vLmP2wR7tYz'],
  ])('%s → %s', (input, expected) => {
    expect(wpSpecialcharsDecode(input)).toBe(expected);
  });
});
