import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** Random lower-case Crockford base32, `length` characters (5 bits each). */
export function randomBase32(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[bytes[i]! & 31];
  return out;
}

/** A new id such as `r_8k2m9q4x7f3z` (rule) or `of_…` (offer): 60 random bits. */
export const newId = (prefix: 'r' | 'of'): string => `${prefix}_${randomBase32(12)}`;
