import type { Offer } from './offer';

/**
 * Mail security scanners and link previewers fetch links before people do (and some
 * follow redirects). Their opens must not count as clicks nor use anything up. Known ones
 * announce themselves in the User-Agent; generic HTTP clients are treated alike.
 */
const SCANNER_AGENTS =
  /barracuda|mimecast|proofpoint|urldefense|safelinks|trend ?micro|symantec|messagelabs|forcepoint|sophos|fortiguard|ironport|zscaler|check ?point|appriver|bitdefender|ms-office|microsoft office|googleimageproxy|yahoomailproxy|slackbot|facebookexternalhit|twitterbot|linkedinbot|whatsapp|telegrambot|discordbot|skypeuripreview|bingpreview|python-requests|python-urllib|go-http-client|libwww|curl\/|wget\/|headlesschrome|phantomjs|\bbot\b|spider|crawler/i;

export interface Visitor {
  userAgent: string;
  /** The visitor carries the cookie set by an earlier Encore page: a browser, not a scanner. */
  hasCookie: boolean;
}

export const isKnownScanner = (userAgent: string): boolean => userAgent.trim() === '' || SCANNER_AGENTS.test(userAgent);

/**
 * True when an open of `offer`'s link looks automated: a known scanner, or an emailed link
 * opened within `windowSeconds` of sending by a client without Encore's cookie.
 */
export function looksLikeScanner(offer: Pick<Offer, 'emailedAt'>, visitor: Visitor, now: Date, windowSeconds: number): boolean {
  if (visitor.hasCookie) return false;
  if (isKnownScanner(visitor.userAgent)) return true;
  if (!offer.emailedAt) return false;
  return now.getTime() - Date.parse(offer.emailedAt) < windowSeconds * 1000;
}
