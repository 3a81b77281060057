import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import request from 'supertest';
import { AppError } from '../../src/errors';
import { requireSignedRequest } from '../../src/http/signed-request.middleware';
import {
  createSignedRequestVerifier,
  signRequest,
  type IncomingSignedRequest,
  type SignedRequestHeaders,
} from '../../src/security/signed-request';

interface Vector {
  method: string;
  path: string;
  body: string;
  headers: SignedRequestHeaders;
}

const fixture = JSON.parse(
  readFileSync(join(__dirname, '../fixtures/signed-requests/vectors.json'), 'utf8'),
) as { secret: string; vectors: Vector[] };
const { secret, vectors } = fixture;
const first = vectors[0] as Vector;
const ts = Number(first.headers['Encore-Timestamp']);

/** An in-memory replay record, like the Redis store: true the first time. */
function memorySeen() {
  const seen = new Set<string>();
  const markSeen = jest.fn(async (id: string) => {
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  return { seen, markSeen };
}

function verifierAt(timestampSeconds: number, secrets = [secret]) {
  const replay = memorySeen();
  const verifier = createSignedRequestVerifier({ secrets, markSeen: replay.markSeen, now: () => timestampSeconds * 1000 });
  return { verifier, ...replay };
}

const requestOf = (v: Vector, overrides: Partial<IncomingSignedRequest> = {}): IncomingSignedRequest => ({
  method: v.method,
  pathWithQuery: v.path,
  rawBody: Buffer.from(v.body, 'utf8'),
  // Node lower-cases header names.
  headers: Object.fromEntries(Object.entries(v.headers).map(([k, val]) => [k.toLowerCase(), val])),
  ...overrides,
});

async function rejection(promise: Promise<void>): Promise<AppError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe('invalid_signature');
  return err as AppError;
}

describe('signed requests between the shim and the service', () => {
  describe.each(vectors.map((v) => [`${v.method} ${v.path}`, v] as const))('PHP vector %s', (_name, v) => {
    const at = Number(v.headers['Encore-Timestamp']);

    it('verifies with the clock at its timestamp', async () => {
      const { verifier, seen } = verifierAt(at);
      await expect(verifier.verify(requestOf(v))).resolves.toBeUndefined();
      expect(seen.has(v.headers['Encore-Id'])).toBe(true);
    });

    it('is reproduced byte for byte by signRequest', () => {
      const headers = signRequest(secret, {
        id: v.headers['Encore-Id'],
        timestamp: at,
        method: v.method,
        pathWithQuery: v.path,
        body: v.body,
      });
      expect(headers).toEqual(v.headers);
    });
  });

  it('rejects a request without the signature headers, naming them', async () => {
    const { verifier, markSeen } = verifierAt(ts);
    const noSignature = requestOf(first);
    delete noSignature.headers['encore-signature'];
    expect((await rejection(verifier.verify(noSignature))).message).toMatch(/Missing.*Encore-Signature/);
    const bare = requestOf(first, { headers: {} });
    expect((await rejection(verifier.verify(bare))).message).toMatch(/Encore-Id, Encore-Timestamp, Encore-Signature/);
    expect(markSeen).not.toHaveBeenCalled();
  });

  it('rejects a wrong signature and does not burn the id', async () => {
    const { verifier, markSeen } = verifierAt(ts);
    const forged = signRequest('not-the-secret', {
      id: first.headers['Encore-Id'], timestamp: ts, method: first.method, pathWithQuery: first.path, body: first.body,
    });
    const headers = { 'encore-id': forged['Encore-Id'], 'encore-timestamp': forged['Encore-Timestamp'], 'encore-signature': forged['Encore-Signature'] };
    expect((await rejection(verifier.verify(requestOf(first, { headers })))).message).toMatch(/No signature/);
    expect(markSeen).not.toHaveBeenCalled();
    await expect(verifier.verify(requestOf(first))).resolves.toBeUndefined();
  });

  it('rejects a signature header without a v1 entry or with garbage', async () => {
    const { verifier } = verifierAt(ts);
    for (const value of ['', 'v2,abc', 'v1,', 'v1,!!!', first.headers['Encore-Signature'].slice(3)]) {
      await rejection(verifier.verify(requestOf(first, { headers: { ...requestOf(first).headers, 'encore-signature': value } })));
    }
  });

  it.each([
    ['301 s old', ts + 301],
    ['301 s in the future', ts - 301],
  ])('rejects a timestamp %s', async (_what, clock) => {
    const { verifier, markSeen } = verifierAt(clock);
    expect((await rejection(verifier.verify(requestOf(first)))).message).toMatch(/300 s/);
    expect(markSeen).not.toHaveBeenCalled();
  });

  it('accepts a timestamp exactly 300 s off', async () => {
    await expect(verifierAt(ts + 300).verifier.verify(requestOf(first))).resolves.toBeUndefined();
    await expect(verifierAt(ts - 300).verifier.verify(requestOf(first))).resolves.toBeUndefined();
  });

  it('rejects a malformed id or timestamp', async () => {
    const { verifier } = verifierAt(ts);
    const base = requestOf(first).headers;
    for (const id of ['a.b', 'a b', 'x'.repeat(129), 'zażółć']) {
      const err = await rejection(verifier.verify(requestOf(first, { headers: { ...base, 'encore-id': id } })));
      expect(err.message).toMatch(/Encore-Id/);
    }
    for (const stamp of ['-1795702000', '1795702000.5', '1e9', 'now', '']) {
      const err = await rejection(verifier.verify(requestOf(first, { headers: { ...base, 'encore-timestamp': stamp } })));
      expect(err.message).toMatch(/Encore-Timestamp/);
    }
  });

  it('rejects a replayed request: the second verify of the same request fails', async () => {
    const { verifier } = verifierAt(ts);
    await expect(verifier.verify(requestOf(first))).resolves.toBeUndefined();
    expect((await rejection(verifier.verify(requestOf(first)))).message).toMatch(/replay/);
  });

  it('rejects a vector on another path or with another method', async () => {
    const { verifier } = verifierAt(ts);
    await rejection(verifier.verify(requestOf(first, { pathWithQuery: '/v1/admin/rules' })));
    await rejection(verifier.verify(requestOf(first, { pathWithQuery: `${first.path}?x=1` })));
    await rejection(verifier.verify(requestOf(first, { method: 'PUT' })));
    const stats = vectors.find((v) => v.path.includes('?')) as Vector;
    const at = verifierAt(Number(stats.headers['Encore-Timestamp']));
    await rejection(at.verifier.verify(requestOf(stats, { pathWithQuery: stats.path.replace('11-30', '12-31') })));
  });

  it('rejects a changed body', async () => {
    const { verifier } = verifierAt(ts);
    const body = Buffer.from(first.body.replace('"orderId":4711', '"orderId":4712'), 'utf8');
    await rejection(verifier.verify(requestOf(first, { rawBody: body })));
    await rejection(verifier.verify(requestOf(first, { rawBody: Buffer.concat([Buffer.from(first.body), Buffer.from(' ')]) })));
  });

  it('finds the headers whatever their case', async () => {
    const { verifier } = verifierAt(ts);
    await expect(verifier.verify(requestOf(first, { headers: { ...first.headers } }))).resolves.toBeUndefined();
  });

  describe('secret rotation', () => {
    const parts = { id: 'rot_0001', timestamp: ts, method: 'POST', pathWithQuery: '/v1/thank-you', body: '{"orderId":1}' };
    const oldSecret = secret;
    const newSecret = 'shim-secret-NEW-4kq9Zr71';
    const both = `${signRequest(oldSecret, parts)['Encore-Signature']} ${signRequest(newSecret, parts)['Encore-Signature']}`;
    const request = (): IncomingSignedRequest => ({
      method: parts.method,
      pathWithQuery: parts.pathWithQuery,
      rawBody: Buffer.from(parts.body),
      headers: { 'encore-id': parts.id, 'encore-timestamp': String(ts), 'encore-signature': both },
    });

    it.each([
      ['only the old secret', [oldSecret]],
      ['only the new secret', [newSecret]],
      ['both secrets', [newSecret, oldSecret]],
    ])('a header with an old and a new signature passes a verifier with %s', async (_what, secrets) => {
      await expect(verifierAt(ts, secrets).verifier.verify(request())).resolves.toBeUndefined();
    });

    it('a verifier that knows neither secret rejects it', async () => {
      await rejection(verifierAt(ts, ['some-other-secret-000']).verifier.verify(request()));
    });
  });

  it('refuses to build a verifier without a secret', () => {
    expect(() => createSignedRequestVerifier({ secrets: [''], markSeen: async () => true })).toThrow(AppError);
  });
});

describe('requireSignedRequest behind express.raw()', () => {
  /** Signed routes mounted under `/v1`, so `req.originalUrl` (not `req.url`) must be signed. */
  function appAt(timestampSeconds: number) {
    const router = express.Router();
    const guard = requireSignedRequest(verifierAt(timestampSeconds).verifier);
    router.all('/{*rest}', express.raw({ type: () => true, limit: '1mb' }), guard, (req, res) => {
      res.json({ body: req.body === undefined ? '<none>' : req.body });
    });
    const app = express();
    app.use('/v1', router);
    app.use((err: AppError, _req: Request, res: Response, _next: NextFunction) => {
      res.status(err.status).json({ code: err.code, message: err.message });
    });
    return app;
  }

  const send = (v: Vector, body: string, headers: object) => {
    const method = v.method.toLowerCase() as 'post' | 'get' | 'put' | 'delete';
    const req = request(appAt(Number(v.headers['Encore-Timestamp'])))[method](v.path).set(headers as Record<string, string>);
    return body === '' ? req : req.set('Content-Type', 'application/json').send(body);
  };

  it.each(vectors.map((v) => [`${v.method} ${v.path}`, v] as const))('passes %s and hands on the parsed body', async (_n, v) => {
    const res = await send(v, v.body, v.headers);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ body: v.body === '' ? '<none>' : JSON.parse(v.body) });
  });

  it('answers 401 when the body was changed', async () => {
    const res = await send(first, first.body.replace('4711', '4712'), first.headers);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('invalid_signature');
  });

  it('answers 400 for a correctly signed body that is not JSON', async () => {
    const parts = { id: 'bad_json_1', timestamp: ts, method: 'POST', pathWithQuery: '/v1/thank-you', body: '{"orderId":' };
    const res = await send(first, parts.body, signRequest(secret, parts));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: 'invalid_request', message: 'The body is not valid JSON.' });
  });
});
