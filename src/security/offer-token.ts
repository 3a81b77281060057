import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { AppError } from '../errors';

/** One offer-link signing key. */
export interface OfferTokenKey {
  /** Key id, carried in the token header to pick the key at verification. */
  kid: string;
  /** HMAC secret (UTF-8). */
  secret: string;
}

export interface OfferTokenOptions {
  /** Signing keys; the first signs new tokens, all of them verify (rotation). */
  keys: OfferTokenKey[];
  /** The service's public URL, carried as `iss`. */
  issuer: string;
  /** Clock in milliseconds; defaults to `Date.now`. */
  now?: () => number;
  /**
   * `aud` of the tokens this codec issues and accepts; default `encore-offer`. Another
   * audience (e.g. `encore-unsubscribe`) makes tokens that never pass as offer links.
   */
  audience?: string;
}

/** What a valid offer link proves. */
export interface OfferTokenClaims {
  offerId: string;
  expiresAt: Date;
  /** String claims issued besides the standard ones (absent when there were none). */
  extra?: Record<string, string>;
}

export interface OfferTokens {
  /**
   * Signs a link token for one offer, valid until `expiresAt` (whole seconds). `extra` adds
   * short string claims (never personal data: a hash at most); standard claims win over them.
   */
  issue(offerId: string, expiresAt: Date, extra?: Record<string, string>): string;
  /**
   * Checks a token from a link.
   * @throws AppError `gone` when it is authentic but expired, `not_found` for anything else
   */
  verify(token: string): OfferTokenClaims;
}

export const OFFER_TOKEN_AUDIENCE = 'encore-offer';
// Our tokens are about 250 characters; anything much longer is not ours.
const TOKEN_MAX_LENGTH = 2048;
// Three base64url segments; the signature may be empty (alg "none"), rejected later.
const TOKEN_PATTERN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const STANDARD_CLAIMS = new Set(['sub', 'aud', 'iss', 'iat', 'exp', 'nbf', 'jti']);

const invalid = (cause?: unknown): AppError =>
  new AppError('not_found', 'This offer link is not valid.', cause === undefined ? {} : { cause });

/**
 * Builds the offer-link token codec: JWT, HS256 only, `kid` header for key rotation, claims
 * `sub` (offer id), `aud`, `iss`, `exp`, `iat` and nothing else — no email or other
 * personal data, because links travel through mail servers and browser histories.
 */
export function createOfferTokens(options: OfferTokenOptions): OfferTokens {
  const { keys, issuer } = options;
  const signer = keys[0];
  if (!signer || keys.some((k) => !k.kid || !k.secret) || new Set(keys.map((k) => k.kid)).size !== keys.length) {
    throw new AppError('internal', 'Offer tokens need at least one key, each with a unique kid and a secret.');
  }
  const now = options.now ?? Date.now;
  // KeyObjects made once: given a string, jsonwebtoken first tries (and fails) to parse it as a
  // PEM key on every sign and verify, which cost most of an offer email's CPU time.
  const byKid = new Map(keys.map((k) => [k.kid, createSecretKey(Buffer.from(k.secret, 'utf8'))]));
  const signingKey = byKid.get(signer.kid)!;
  const audience = options.audience ?? OFFER_TOKEN_AUDIENCE;

  return {
    issue(offerId, expiresAt, extra) {
      const iat = Math.floor(now() / 1000);
      const exp = Math.floor(expiresAt.getTime() / 1000);
      if (!offerId) throw new AppError('internal', 'An offer token needs an offer id.');
      if (!Number.isFinite(exp) || exp <= iat) {
        throw new AppError('internal', 'An offer token must expire in the future.');
      }
      const claims = { ...extra, sub: offerId, aud: audience, iss: issuer, iat, exp };
      return jwt.sign(claims, signingKey, { algorithm: 'HS256', keyid: signer.kid });
    },

    verify(token) {
      if (typeof token !== 'string' || token.length > TOKEN_MAX_LENGTH || !TOKEN_PATTERN.test(token)) {
        throw invalid();
      }
      const kid = kidOf(token);
      const secret = typeof kid === 'string' ? byKid.get(kid) : undefined;
      if (secret === undefined) throw invalid();

      const verifyOptions = {
        algorithms: ['HS256' as const],
        audience,
        issuer,
        clockTimestamp: Math.floor(now() / 1000),
      };
      let payload: string | jwt.JwtPayload;
      try {
        payload = jwt.verify(token, secret, verifyOptions);
      } catch (err) {
        // jsonwebtoken checks exp before aud/iss: only call it expired when the rest holds too.
        if (err instanceof jwt.TokenExpiredError && isOursIgnoringExpiry(token, secret, verifyOptions)) {
          throw new AppError('gone', 'This offer has expired.', { cause: err });
        }
        throw invalid(err);
      }
      if (typeof payload === 'string' || typeof payload.sub !== 'string' || payload.sub === '') throw invalid();
      if (typeof payload.exp !== 'number') throw invalid();
      const extra = Object.entries(payload).filter(([k, v]) => !STANDARD_CLAIMS.has(k) && typeof v === 'string');
      const claims = { offerId: payload.sub, expiresAt: new Date(payload.exp * 1000) };
      return extra.length > 0 ? { ...claims, extra: Object.fromEntries(extra) as Record<string, string> } : claims;
    },
  };
}

function isOursIgnoringExpiry(token: string, secret: KeyObject, verifyOptions: jwt.VerifyOptions): boolean {
  try {
    jwt.verify(token, secret, { ...verifyOptions, ignoreExpiration: true });
    return true;
  } catch {
    return false;
  }
}

function kidOf(token: string): unknown {
  try {
    return jwt.decode(token, { complete: true })?.header.kid;
  } catch {
    return undefined;
  }
}
