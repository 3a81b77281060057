import { createHmac, generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { AppError } from '../../src/errors';
import { createOfferTokens, type OfferTokenKey } from '../../src/security/offer-token';
import { appErrorOf } from '../support/errors';

const issuer = 'https://encore.sklep.example.com';
const current: OfferTokenKey = { kid: 'k2026a', secret: 'offer-secret-aaaaaaaaaaaaaaaaaaaaaaaaaaaa' };
const next: OfferTokenKey = { kid: 'k2026b', secret: 'offer-secret-bbbbbbbbbbbbbbbbbbbbbbbbbbbb' };
const t0 = Date.UTC(2026, 10, 20, 14, 5, 42);
const inOneWeek = new Date(t0 + 7 * 86_400_000);

function tokensAt(clock: { ms: number }, keys = [current]) {
  return createOfferTokens({ keys, issuer, now: () => clock.ms });
}

const b64url = (value: object | string) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

const validClaims = () => ({
  sub: 'of_01', aud: 'encore-offer', iss: issuer, iat: Math.floor(t0 / 1000), exp: Math.floor(inOneWeek.getTime() / 1000),
});

const expectInvalid = (fn: () => unknown) => {
  const err = appErrorOf(fn);
  expect(err.code).toBe('not_found');
  expect(err.message).toBe('This offer link is not valid.');
};

describe('offer link tokens', () => {
  it('round trip: a fresh token gives back its offer id and expiry', () => {
    const tokens = tokensAt({ ms: t0 });
    const token = tokens.issue('of_01', inOneWeek);
    expect(tokens.verify(token)).toEqual({ offerId: 'of_01', expiresAt: inOneWeek });
  });

  it('carries exactly sub, aud, iss, exp and iat, and no personal data', () => {
    const token = tokensAt({ ms: t0 }).issue('of_01', inOneWeek);
    const { header, payload } = jwt.decode(token, { complete: true }) as jwt.Jwt;
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT', kid: current.kid });
    expect(Object.keys(payload).sort()).toEqual(['aud', 'exp', 'iat', 'iss', 'sub']);
    expect(payload).toEqual(validClaims());
    expect(token).not.toMatch(/@/);
    expect(Buffer.from(token.split('.')[1] as string, 'base64url').toString()).not.toMatch(/email|@/);
  });

  it('rejects an unsigned token (alg none)', () => {
    const none = `${b64url({ alg: 'none', typ: 'JWT', kid: current.kid })}.${b64url(validClaims())}.`;
    expectInvalid(() => tokensAt({ ms: t0 }).verify(none));
  });

  it('rejects an HS384 token made with the right secret', () => {
    const token = jwt.sign(validClaims(), current.secret, { algorithm: 'HS384', keyid: current.kid });
    expectInvalid(() => tokensAt({ ms: t0 }).verify(token));
  });

  describe('RS256/HS256 confusion', () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();

    it('rejects an HS256 token whose HMAC key is a public key', () => {
      // Built by hand: jsonwebtoken itself refuses to HMAC with a PEM key.
      const head = `${b64url({ alg: 'HS256', typ: 'JWT', kid: current.kid })}.${b64url(validClaims())}`;
      const token = `${head}.${createHmac('sha256', publicPem).update(head).digest('base64url')}`;
      expectInvalid(() => tokensAt({ ms: t0 }).verify(token));
    });

    it('rejects an RS256 token', () => {
      const token = jwt.sign(validClaims(), privateKey, { algorithm: 'RS256', keyid: current.kid });
      expectInvalid(() => tokensAt({ ms: t0 }).verify(token));
    });
  });

  it('rejects a token signed with another key under our kid', () => {
    const token = jwt.sign(validClaims(), next.secret, { algorithm: 'HS256', keyid: current.kid });
    expectInvalid(() => tokensAt({ ms: t0 }).verify(token));
  });

  it.each([
    ['audience', { aud: 'encore-unsubscribe' }],
    ['issuer', { iss: 'https://evil.example.com' }],
    ['subject (missing)', { sub: undefined }],
  ])('rejects a correctly signed token with the wrong %s', (_what, change) => {
    const token = jwt.sign({ ...validClaims(), ...change }, current.secret, { algorithm: 'HS256', keyid: current.kid });
    expectInvalid(() => tokensAt({ ms: t0 }).verify(token));
  });

  it('says "gone" for an authentic token past its expiry, until then it is valid', () => {
    const clock = { ms: t0 };
    const tokens = tokensAt(clock);
    const token = tokens.issue('of_01', new Date(t0 + 60_000));
    clock.ms = t0 + 59_000;
    expect(tokens.verify(token).offerId).toBe('of_01');
    clock.ms = t0 + 61_000;
    const err = appErrorOf(() => tokens.verify(token));
    expect(err.code).toBe('gone');
    expect(err.message).toBe('This offer has expired.');
    expect(err.status).toBe(410);
  });

  it('calls an expired token with a bad signature or wrong issuer invalid, not expired', () => {
    const expired = { ...validClaims(), exp: Math.floor(t0 / 1000) - 10 };
    const forged = jwt.sign(expired, next.secret, { algorithm: 'HS256', keyid: current.kid });
    expectInvalid(() => tokensAt({ ms: t0 }).verify(forged));
    const foreign = jwt.sign({ ...expired, iss: 'https://other.example.com' }, current.secret, { algorithm: 'HS256', keyid: current.kid });
    expectInvalid(() => tokensAt({ ms: t0 }).verify(foreign));
  });

  it('rejects an unknown kid and a token without one', () => {
    const unknown = jwt.sign(validClaims(), current.secret, { algorithm: 'HS256', keyid: 'k1999' });
    expectInvalid(() => tokensAt({ ms: t0 }).verify(unknown));
    const noKid = jwt.sign(validClaims(), current.secret, { algorithm: 'HS256' });
    expectInvalid(() => tokensAt({ ms: t0 }).verify(noKid));
  });

  it.each([
    ['empty', ''],
    ['garbage', 'not-a-token'],
    ['too long', `${'a'.repeat(2000)}.${'b'.repeat(100)}.c`],
    ['with foreign characters', 'eyJ.eyJ+/=.abc'],
  ])('rejects a %s token', (_what, token) => {
    expectInvalid(() => tokensAt({ ms: t0 }).verify(token));
  });

  it('key rotation: old links keep working after a new key is put first; new links use the new kid', () => {
    const before = tokensAt({ ms: t0 }).issue('of_old', inOneWeek);
    const rotated = tokensAt({ ms: t0 }, [next, current]);
    expect(rotated.verify(before)).toEqual({ offerId: 'of_old', expiresAt: inOneWeek });
    const after = rotated.issue('of_new', inOneWeek);
    expect(jwt.decode(after, { complete: true })?.header.kid).toBe(next.kid);
    expect(rotated.verify(after).offerId).toBe('of_new');
    expectInvalid(() => tokensAt({ ms: t0 }, [current]).verify(after));
  });

  it('refuses to issue a token that is already expired', () => {
    expect(() => tokensAt({ ms: t0 }).issue('of_01', new Date(t0 - 1000))).toThrow(AppError);
  });
});
