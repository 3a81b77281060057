import { createHash } from 'node:crypto';

/**
 * A customer's key in Redis: a hash of the normalised email address, so that key names and
 * sets (purchases, unsubscribes, the email cap) never hold the address itself.
 */
export const emailHash = (namespace: string, email: string): string =>
  createHash('sha256').update(`${namespace}:${email.trim().toLowerCase()}`).digest('hex').slice(0, 32);

/** Consent values extensions write for "yes". */
const YES = new Set(['yes', '1', 'true', 'on', 'y']);
export const isConsent = (value: string | undefined): boolean => YES.has((value ?? '').trim().toLowerCase());
