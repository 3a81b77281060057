import { signRequest } from '../../src/security/signed-request';
import { printerTonerRule, startTestEncore, type TestEncore } from '../support/encore';

type Json = Record<string, any>;

/** The signed admin API for rules, as the WordPress settings page uses it. */
describe('/v1/admin/rules', () => {
  let encore: TestEncore;
  beforeEach(async () => {
    encore = await startTestEncore({ storeUrl: 'http://127.0.0.1:9', env: { ENCORE_ROLE: 'api' } });
  });
  afterEach(() => encore.stop());

  const json = async (res: Response): Promise<Json> => (await res.json()) as Json;

  it('creates, reads, lists, updates and deletes a rule', async () => {
    const created = await encore.signed('POST', '/v1/admin/rules', printerTonerRule());
    expect(created.status).toBe(201);
    const rule = await json(created);
    expect(rule.id).toMatch(/^r_[0-9a-z]+$/);
    expect(rule).toMatchObject({
      name: 'Printer → toner',
      kind: 'complement',
      trigger: { productIds: [101], minOrderTotal: '0.00' },
      offer: { productIds: [202], discount: { type: 'percent', amount: '15.00' } },
      channels: { thankYou: true },
      expiresAfterHours: 72,
      priority: 10,
    });

    expect(await json(await encore.signed('GET', `/v1/admin/rules/${rule.id}`))).toEqual(rule);
    expect(await json(await encore.signed('GET', '/v1/admin/rules'))).toEqual({ rules: [rule] });

    const updated = await encore.signed('PUT', `/v1/admin/rules/${rule.id}`, { name: 'Drukarka → toner / プリンター', enabled: false });
    expect(updated.status).toBe(200);
    const after = await json(updated);
    expect(after).toMatchObject({ id: rule.id, name: 'Drukarka → toner / プリンター', enabled: false, createdAt: rule.createdAt });
    expect(after.offer).toEqual(rule.offer);

    expect((await encore.signed('DELETE', `/v1/admin/rules/${rule.id}`)).status).toBe(204);
    expect((await encore.signed('GET', `/v1/admin/rules/${rule.id}`)).status).toBe(404);
    expect(await json(await encore.signed('GET', '/v1/admin/rules'))).toEqual({ rules: [] });
  });

  it('moves a rule between trigger indexes when its trigger changes, and drops it on delete', async () => {
    const rule = await json(await encore.signed('POST', '/v1/admin/rules', printerTonerRule()));
    await encore.signed('PUT', `/v1/admin/rules/${rule.id}`, { trigger: { productIds: [111, 112] } });
    expect(await encore.redis.smembers(encore.keys.rulesByTrigger(101))).toEqual([]);
    expect(await encore.redis.smembers(encore.keys.rulesByTrigger(111))).toEqual([rule.id]);
    await encore.signed('DELETE', `/v1/admin/rules/${rule.id}`);
    expect(await encore.redis.smembers(encore.keys.rulesByTrigger(112))).toEqual([]);
  });

  it('accepts numbers for amounts and normalises them to WooCommerce decimal strings', async () => {
    const rule = await json(
      await encore.signed('POST', '/v1/admin/rules', printerTonerRule({ offer: { productIds: [202], discount: { type: 'fixed_cart', amount: 12.5 } } })),
    );
    expect(rule.offer.discount).toEqual({ type: 'fixed_cart', amount: '12.50' });
  });

  it('answers 400 with every bad field named, and stores nothing', async () => {
    const res = await encore.signed('POST', '/v1/admin/rules', {
      ...printerTonerRule(),
      kind: 'bundle',
      trigger: { productIds: [] },
      offer: { productIds: [202], discount: { type: 'percent', amount: '150' } },
      expiresAfterHours: 0,
      colour: 'red',
    });
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body.error.code).toBe('invalid_request');
    expect(Object.keys(body.error.fields)).toEqual(
      expect.arrayContaining(['kind', 'trigger.productIds', 'offer.discount.amount', 'expiresAfterHours']),
    );
    expect(await json(await encore.signed('GET', '/v1/admin/rules'))).toEqual({ rules: [] });
  });

  it('takes a holdout percentage, returns it, and answers 400 naming the field when it is out of range', async () => {
    const created = await encore.signed('POST', '/v1/admin/rules', printerTonerRule({ holdoutPercent: 12.5 }));
    expect(created.status).toBe(201);
    const rule = await json(created);
    expect(rule.holdoutPercent).toBe(12.5);
    expect((await json(await encore.signed('GET', `/v1/admin/rules/${rule.id}`))).holdoutPercent).toBe(12.5);
    expect((await json(await encore.signed('PUT', `/v1/admin/rules/${rule.id}`, { holdoutPercent: 0 }))).holdoutPercent).toBe(0);

    const refused = await encore.signed('PUT', `/v1/admin/rules/${rule.id}`, { holdoutPercent: 60 });
    expect(refused.status).toBe(400);
    expect((await json(refused)).error.fields).toEqual({ holdoutPercent: 'must be from 0 to 50' });
    expect((await json(await encore.signed('GET', `/v1/admin/rules/${rule.id}`))).holdoutPercent).toBe(0);
  });

  it('a rule saved before holdouts existed reads as holdout 0 and can still be updated', async () => {
    const rule = await json(await encore.signed('POST', '/v1/admin/rules', printerTonerRule()));
    const { holdoutPercent: _dropped, ...old } = rule;
    await encore.redis.hset(encore.keys.rules, rule.id, JSON.stringify(old));
    expect((await json(await encore.signed('GET', `/v1/admin/rules/${rule.id}`))).holdoutPercent).toBe(0);
    const updated = await encore.signed('PUT', `/v1/admin/rules/${rule.id}`, { holdoutPercent: 10 });
    expect(updated.status).toBe(200);
    expect((await json(await encore.signed('GET', '/v1/admin/rules'))).rules[0].holdoutPercent).toBe(10);
  });

  it('answers 400 for a body that is not an object, and 404 for unknown ids', async () => {
    expect((await encore.signed('POST', '/v1/admin/rules', '[1,2]')).status).toBe(400);
    expect((await encore.signed('GET', '/v1/admin/rules/r_unknown')).status).toBe(404);
    expect((await encore.signed('PUT', '/v1/admin/rules/r_unknown', { enabled: true })).status).toBe(404);
    expect((await encore.signed('DELETE', '/v1/admin/rules/not-an-id')).status).toBe(404);
  });

  describe('signed-request rejections store nothing', () => {
    const body = JSON.stringify(printerTonerRule());
    const post = (headers: Record<string, string>, path = '/v1/admin/rules') =>
      fetch(`${encore.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body });
    const sign = (over: Partial<{ id: string; timestamp: number; method: string; pathWithQuery: string }> = {}) =>
      signRequest(encore.config.shimSecret, {
        id: `t_${Math.random().toString(36).slice(2)}`,
        timestamp: Math.floor(Date.now() / 1000),
        method: 'POST',
        pathWithQuery: '/v1/admin/rules',
        body,
        ...over,
      }) as unknown as Record<string, string>;
    const expectNoRules = async () => expect(await encore.redis.hlen(encore.keys.rules)).toBe(0);

    it('when the headers are missing: 401', async () => {
      expect((await post({})).status).toBe(401);
      await expectNoRules();
    });
    it('when the signature is wrong: 401', async () => {
      const headers = sign();
      headers['Encore-Signature'] = 'v1,' + Buffer.alloc(32).toString('base64');
      expect((await post(headers)).status).toBe(401);
      await expectNoRules();
    });
    it('when the timestamp is stale: 401', async () => {
      expect((await post(sign({ timestamp: Math.floor(Date.now() / 1000) - 301 }))).status).toBe(401);
      await expectNoRules();
    });
    it('when the id is replayed: 401 the second time', async () => {
      const headers = sign();
      expect((await post(headers)).status).toBe(201);
      expect((await post(headers)).status).toBe(401);
      expect(await encore.redis.hlen(encore.keys.rules)).toBe(1);
    });
    it('when it was signed for another route: 401', async () => {
      expect((await post(sign({ pathWithQuery: '/v1/thank-you' }))).status).toBe(401);
      await expectNoRules();
    });
    it('when it is over 1 MB: 413', async () => {
      const res = await fetch(`${encore.url}/v1/admin/rules`, { method: 'POST', body: 'x'.repeat(1024 * 1024 + 1), headers: sign() });
      expect(res.status).toBe(413);
      await expectNoRules();
    });
    it('when it is not JSON: 400', async () => {
      const raw = '{"name": ';
      const headers = signRequest(encore.config.shimSecret, {
        id: 'not_json_1',
        timestamp: Math.floor(Date.now() / 1000),
        method: 'POST',
        pathWithQuery: '/v1/admin/rules',
        body: raw,
      }) as unknown as Record<string, string>;
      const res = await fetch(`${encore.url}/v1/admin/rules`, { method: 'POST', headers, body: raw });
      expect(res.status).toBe(400);
      await expectNoRules();
    });
  });
});
