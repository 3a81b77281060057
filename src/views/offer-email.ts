import type { Offer } from '../domain/offer';
import type { ProductSummary } from '../storage/product-cache';
import { html } from './html';
import { emailMessagesFor, langOf, messagesFor } from './messages';
import { discountLabel, expiryLabel } from './offer-fragment';

export interface OfferEmailInput {
  offer: Pick<Offer, 'kind' | 'productIds' | 'discount' | 'currency'>;
  /** The offer's expiry as sent (it counts from sending). */
  expiresAt: Date;
  /** WordPress locale of the buyer, e.g. `pl_PL`; unknown languages get English. */
  locale: string;
  /** Whatever the catalog knew; a product it did not know is named `#<id>`. */
  products: ProductSummary[];
  /** The personal offer link, `<public url>/o/<token>`. */
  link: string;
  /** The one-click unsubscribe page, `<public url>/u/<token>`. */
  unsubscribeUrl: string;
  /** The shop as buyers know it (its host name). */
  storeName: string;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

const nameOf = (id: number, products: ProductSummary[]): string => products.find((p) => p.id === id)?.name ?? `#${id}`;

/**
 * One offer email in the buyer's language: subject, an HTML part and a plain-text part with
 * the same content — products, discount, expiry (UTC), the personal link, and a visible
 * unsubscribe link (mail clients also offer List-Unsubscribe, set by the sender).
 */
export function renderOfferEmail(input: OfferEmailInput): RenderedEmail {
  const { offer, locale } = input;
  const m = messagesFor(locale);
  const e = emailMessagesFor(locale);
  const names = offer.productIds.map((id) => nameOf(id, input.products));
  const discount = discountLabel(offer.discount, offer.currency, locale, m);
  const expiry = expiryLabel(input.expiresAt.toISOString(), locale);
  // Subjects stay short: the first two product names carry it.
  const subjectNames = names.length > 2 ? `${names.slice(0, 2).join(e.listSeparator)}…` : names.join(e.listSeparator);
  const subject = e.subject(subjectNames, discount).replace(/[\r\n]+/g, ' ');

  const items = offer.productIds.map((id) => {
    const product = input.products.find((p) => p.id === id);
    const image = product?.imageUrl
      ? html`<img src="${product.imageUrl}" alt="" width="64" height="64" style="vertical-align:middle;margin-right:8px">`
      : '';
    return html`<li style="margin:6px 0">${image}<strong>${nameOf(id, input.products)}</strong></li>`;
  });
  const body = html`<!doctype html>
<html lang="${langOf(locale)}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${subject}</title></head>
<body style="margin:0;padding:0;background:#f5f5f5">
<div style="max-width:560px;margin:0 auto;padding:24px;background:#ffffff;font-family:system-ui,-apple-system,Segoe UI,sans-serif;color:#222;line-height:1.5">
<p style="color:#555;margin:0 0 4px">${m.kinds[offer.kind]}</p>
<p>${e.intro}</p>
<ul style="padding-left:18px">${items}</ul>
<p style="font-size:20px;font-weight:bold;margin:16px 0">${discount}</p>
<p>${m.validUntil} ${expiry}</p>
<p style="margin:24px 0"><a href="${input.link}" style="background:#0b57d0;color:#ffffff;padding:12px 20px;border-radius:4px;text-decoration:none;display:inline-block">${m.cta}</a></p>
<p style="font-size:13px;color:#555">${e.personal}</p>
<hr style="border:none;border-top:1px solid #ddd;margin:24px 0">
<p style="font-size:12px;color:#777">${e.why(input.storeName)}<br><a href="${input.unsubscribeUrl}" style="color:#777">${e.unsubscribe}</a></p>
</div>
</body>
</html>
`.__html;

  const text = [
    m.kinds[offer.kind],
    '',
    e.intro,
    ...names.map((name) => `- ${name}`),
    '',
    discount,
    `${m.validUntil} ${expiry}`,
    '',
    `${m.cta}:`,
    input.link,
    '',
    e.personal,
    '',
    '--',
    e.why(input.storeName),
    `${e.unsubscribe}: ${input.unsubscribeUrl}`,
    '',
  ].join('\n');

  return { subject, html: body, text };
}
