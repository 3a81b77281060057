import { connect } from 'node:net';
import fc from 'fast-check';
import { startTestEncore, type TestEncore } from '../support/encore';
import { expectCleanAnswer, expectCleanLogs, nastyString } from './support';

const RUNS = 200;
const TOKEN = 'metrics-token-7Jq2vXb9LmP4rT8s';

/** What one raw request got back: the status and the body (null when the server closed without an answer). */
interface RawAnswer {
  status: number;
  contentType: string;
  text: string;
}

/**
 * GET /metrics with the `Authorization` header written byte for byte (latin1), past the checks
 * that fetch and node:http make on header values: controls, high bytes, odd spacing.
 */
function rawMetrics(encore: TestEncore, authorization: string | null): Promise<RawAnswer | null> {
  const port = Number(new URL(encore.url).port);
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => (socket.destroy(), resolve(null)), 3000);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', () => (clearTimeout(timer), resolve(null)));
    socket.on('close', () => {
      clearTimeout(timer);
      const raw = Buffer.concat(chunks).toString('latin1');
      const head = /^HTTP\/1\.1 (\d{3})[^\r]*\r\n([\s\S]*?)\r\n\r\n/.exec(raw);
      if (!head) return resolve(null);
      const contentType = /^content-type:\s*([^\r]*)/im.exec(head[2]!)?.[1] ?? '';
      resolve({ status: Number(head[1]), contentType, text: raw.slice(head[0].length) });
    });
    const header = authorization === null ? '' : `Authorization: ${authorization}\r\n`;
    socket.write(Buffer.from(`GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${header}\r\n`, 'latin1'));
  });
}

/** Header-safe text: no CR or LF (those would end the header line, which is another request). */
const headerText = (arb: fc.Arbitrary<string>) =>
  arb.map((s) =>
    Array.from(s)
      .map((c) => (c.codePointAt(0)! > 0xff ? '?' : c))
      .join('')
      .replace(/[\r\n]/g, ' '),
  );

/** Mistakes near the real token: a scheme off, the token cut, grown, case-changed or one character swapped. */
const nearMiss = fc
  .tuple(
    fc.constantFrom('Bearer', 'bearer', 'BEARER', 'Basic', 'Token', 'Bearer:', ''),
    fc.constantFrom(' ', '  ', '\t', ''),
    fc.oneof(
      fc.integer({ min: 0, max: TOKEN.length - 1 }).map((n) => TOKEN.slice(0, n)),
      fc.string({ minLength: 1, maxLength: 4 }).map((extra) => `${TOKEN}${extra}`),
      fc.constant(TOKEN.toUpperCase()),
      fc.tuple(fc.integer({ min: 0, max: TOKEN.length - 1 }), fc.string({ minLength: 1, maxLength: 1 })).map(([i, c]) => `${TOKEN.slice(0, i)}${c}${TOKEN.slice(i + 1)}`),
      fc.constant(`"${TOKEN}"`),
      fc.constant(`${TOKEN},${TOKEN}`),
      fc.constant(TOKEN),
    ),
  )
  .map(([scheme, gap, token]) => `${scheme}${gap}${token}`);

/** The token as an operator would send it, so that every run also proves the way in still opens. */
const genuine = fc.tuple(fc.constantFrom('Bearer', 'bearer', 'BEARER'), fc.constantFrom(' ', '  '), fc.constantFrom('', ' ', '\t')).map(([scheme, gap, tail]) => `${scheme}${gap}${TOKEN}${tail}`);

const headerArb = fc.oneof(
  { weight: 1, arbitrary: genuine },
  { weight: 4, arbitrary: headerText(nearMiss) },
  { weight: 3, arbitrary: headerText(nastyString()) },
  { weight: 1, arbitrary: headerText(fc.string({ maxLength: 2000 })) },
  { weight: 1, arbitrary: fc.constant(null) },
);

/**
 * Exactly the headers the rule lets in: "Bearer" in any case, one or more spaces, the token, then
 * only whitespace. HTTP itself drops blanks (space, tab) around a header value.
 */
const accepted = (header: string | null): boolean => /^[ \t]*bearer +(\S+)\s*$/i.exec(header ?? '')?.[1] === TOKEN;

describe('fuzzing the /metrics bearer token', () => {
  let encore: TestEncore;

  beforeAll(async () => {
    encore = await startTestEncore({ storeUrl: 'http://127.0.0.1:9', env: { ENCORE_ROLE: 'api', ENCORE_METRICS_TOKEN: TOKEN } });
  });
  afterAll(async () => {
    await encore.stop();
  });

  it('lets in only the exact bearer token: every other header gets a clean 401 that names the scheme and never the token', async () => {
    let admitted = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(headerArb, async (header) => {
        const answer = await rawMetrics(encore, header);
        expect(answer).not.toBeNull();
        if (accepted(header)) {
          admitted++;
          expect(answer!.status).toBe(200);
          expect(answer!.text).toContain('# TYPE encore_webhooks_total counter');
        } else {
          refused++;
          expectCleanAnswer(answer!, [401, 400], `Authorization ${JSON.stringify(header)}`);
          expect(answer!.text).not.toContain(TOKEN);
          expect(answer!.text).not.toContain('encore_webhooks_total');
        }
      }),
      { numRuns: RUNS },
    );
    // Both sides of the rule were exercised, not only refusals.
    expect(admitted).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(RUNS / 2);
  });

  it('answers 401 with a Bearer challenge to a missing token, and the service still serves', async () => {
    const answer = await fetch(`${encore.url}/metrics`);
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toBe('Bearer realm="encore-metrics"');
    expect((await fetch(`${encore.url}/healthz`)).status).toBe(200);
  });

  it('logs no stack, source path, secret or the metrics token', () => {
    expectCleanLogs(encore);
    expect(encore.logs.join('')).not.toContain(TOKEN);
  });
});
