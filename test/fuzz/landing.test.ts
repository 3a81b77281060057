import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { couponCodeFor, landingUrl } from '../../src/domain/coupon';
import { ruleInputSchema } from '../../src/domain/rule';
import { printerTonerRule } from '../support/encore';
import { nastyString } from './support';

const run = promisify(execFile);
const SCRIPT = join(__dirname, 'php', 'landing-parse.php');
const STORE = 'https://sklep.example.com';
const BASE32 = '0123456789abcdefghjkmnpqrstvwxyz';

interface Case {
  add: Buffer | null;
  coupon: Buffer | null;
}
interface Parsed {
  add: string[] | null;
  coupon: string | null;
}

/** The plugin's `Encore_Landing` parsers, run by PHP itself over a batch of query values. */
async function parseInPhp(cases: Case[]): Promise<Parsed[]> {
  const input = JSON.stringify(cases.map((c) => ({ add: c.add?.toString('base64') ?? null, coupon: c.coupon?.toString('base64') ?? null })));
  const child = run('php', [SCRIPT], { maxBuffer: 16 * 1024 * 1024 });
  child.child.stdin!.end(input);
  return JSON.parse((await child).stdout) as Parsed[];
}

// PHP's trim() without a list strips these bytes.
const phpTrim = (text: string): string => text.replace(/^[ \t\n\r\0\x0B]+|[ \t\n\r\0\x0B]+$/g, '');

/** What the landing documents, written independently: 1–20 ids of 1–18 digits, no leading zero. */
function expectedIds(bytes: Buffer): string[] | null {
  const raw = phpTrim(bytes.toString('latin1'));
  if (!/^[1-9][0-9]{0,17}(,[1-9][0-9]{0,17})*$/.test(raw)) return null;
  const ids = raw.split(',');
  return ids.length > 20 ? null : [...new Set(ids)];
}
const expectedCoupon = (bytes: Buffer): string | null => {
  const raw = phpTrim(bytes.toString('latin1'));
  return /^encore-[0-9a-z]{1,64}$/.test(raw) ? raw : null;
};

/** A query value as the bytes PHP gets after URL decoding. */
const queryBytes = fc.oneof(
  nastyString().map((s) => Buffer.from(s, 'utf8')),
  fc.uint8Array({ maxLength: 60 }).map((b) => Buffer.from(b)),
  fc.array(fc.oneof(fc.bigInt({ min: 0n, max: 10n ** 20n }).map(String), fc.constantFrom('', '01', ' 1', '1 ', '+1', '1e3')), { minLength: 1, maxLength: 23 }).map((parts) => Buffer.from(parts.join(','))),
  fc.tuple(fc.constantFrom('encore-', 'ENCORE-', 'encore_', ' encore-'), fc.stringMatching(/^[0-9a-zA-Z\n-]{0,70}$/), fc.constantFrom('', '\n', ' ', '\0', '\n\n')).map((p) => Buffer.from(p.join(''))),
);

describe('fuzzing the plugin landing arguments (encore_add, encore_coupon) through PHP', () => {
  it('parses any query value exactly as documented: 1–20 ids, an encore- coupon code, or nothing', async () => {
    const cases = fc.array(fc.record({ add: fc.option(queryBytes), coupon: fc.option(queryBytes) }), { minLength: 60, maxLength: 60 });
    await fc.assert(
      fc.asyncProperty(cases, async (batch) => {
        const parsed = await parseInPhp(batch);
        batch.forEach((c, i) => {
          expect(parsed[i]!.add).toEqual(c.add === null ? null : expectedIds(c.add));
          expect(parsed[i]!.coupon).toEqual(c.coupon === null ? null : expectedCoupon(c.coupon));
        });
      }),
      { numRuns: 4 },
    );
  });

  it('accepts every landing link the service can build for an offer of a valid rule', async () => {
    const offerProducts = fc.array(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), { minLength: 1, maxLength: 100, size: 'max' });
    const offerId = fc.stringMatching(new RegExp(`^[${BASE32}]{12}$`)).map((id) => `of_${id}`);
    const link = fc
      .tuple(offerProducts)
      .map(([productIds]) => ruleInputSchema.safeParse(printerTonerRule({ trigger: { productIds: [-1 >>> 1] }, offer: { productIds, discount: { type: 'percent', amount: '10' } } })))
      .filter((parsed) => parsed.success)
      .chain((parsed) => offerId.map((id) => ({ productIds: parsed.data!.offer.productIds ?? [], code: couponCodeFor(id) })));
    await fc.assert(
      fc.asyncProperty(fc.array(link, { minLength: 1, maxLength: 8 }), async (offers) => {
        const urls = offers.map((o) => new URL(landingUrl(STORE, { productIds: o.productIds }, o.code)));
        const parsed = await parseInPhp(urls.map((u) => ({ add: Buffer.from(u.searchParams.get('encore_add')!), coupon: Buffer.from(u.searchParams.get('encore_coupon')!) })));
        offers.forEach((o, i) => {
          expect({ productIds: o.productIds.length, add: parsed[i]!.add }).toEqual({ productIds: o.productIds.length, add: o.productIds.map(String) });
          expect(parsed[i]!.coupon).toBe(o.code);
        });
      }),
      // Each run starts PHP once; a failure stops shrinking after 8 s and still reports its replay path.
      { numRuns: 15, interruptAfterTimeLimit: 8000, markInterruptAsFailure: false },
    );
  });
});
