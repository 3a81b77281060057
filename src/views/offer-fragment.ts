import type { Discount } from '../domain/rule';
import type { Offer } from '../domain/offer';
import type { ProductSummary } from '../storage/product-cache';
import { html, type RawHtml } from './html';
import { intlLocale, langOf, messagesFor, type Messages } from './messages';

export interface FragmentOffer {
  offer: Offer;
  /** Absolute offer link, `<public url>/o/<token>`. */
  link: string;
  products: ProductSummary[];
}

/** Intl formatters cost tens of microseconds to build: one per locale and options, reused. */
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
  let formatter = formatters.get(key) as T | undefined;
  if (!formatter) {
    formatter = make();
    if (formatters.size < 500) formatters.set(key, formatter);
  }
  return formatter;
}

function money(amount: string, currency: string, locale: string): string {
  try {
    return cached(`money|${locale}|${currency}`, () => new Intl.NumberFormat(locale, { style: 'currency', currency })).format(Number(amount));
  } catch {
    return `${amount} ${currency}`;
  }
}

/** "15% off", "20,00 zł taniej"… in the buyer's language. */
export function discountLabel(discount: Discount, currency: string, locale: string | null, m: Messages): string {
  const tag = intlLocale(locale);
  if (discount.type === 'percent') {
    const percent = cached(`percent|${tag}`, () => new Intl.NumberFormat(tag, { maximumFractionDigits: 2 }));
    return m.percentOff(percent.format(Number(discount.amount)));
  }
  const amount = money(discount.amount, currency, tag);
  return discount.type === 'fixed_product' ? m.amountOffEach(amount) : m.amountOff(amount);
}

/** Expiry in the buyer's language, in UTC (the page does not know the buyer's zone). */
export function expiryLabel(iso: string, locale: string | null): string {
  // Intl refuses timeZoneName together with dateStyle/timeStyle, hence the suffix.
  const tag = intlLocale(locale);
  const when = cached(`date|${tag}`, () => new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }));
  return `${when.format(new Date(iso))} UTC`;
}

function productLabel(id: number, products: ProductSummary[]): RawHtml {
  const product = products.find((p) => p.id === id);
  if (!product) return html`<li class="encore-offer__product" data-product-id="${id}">#${id}</li>`;
  return html`<li class="encore-offer__product" data-product-id="${id}">${
    product.imageUrl ? html`<img class="encore-offer__image" src="${product.imageUrl}" alt="" loading="lazy" width="64" height="64">` : ''
  }<span class="encore-offer__name">${product.name}</span></li>`;
}

function offerItem({ offer, link, products }: FragmentOffer, m: Messages, locale: string | null): RawHtml {
  return html`
  <article class="encore-offer encore-offer--${offer.kind}" data-offer-id="${offer.id}">
    <p class="encore-offer__kind">${m.kinds[offer.kind]}</p>
    <ul class="encore-offer__products">${offer.productIds.map((id) => productLabel(id, products))}</ul>
    <p class="encore-offer__discount">${discountLabel(offer.discount, offer.currency, locale, m)}</p>
    <p class="encore-offer__expiry">${m.validUntil} <time datetime="${offer.expiresAt}">${expiryLabel(offer.expiresAt, locale)}</time></p>
    <a class="encore-offer__cta" href="${link}" rel="nofollow noopener">${m.cta}</a>
  </article>`;
}

/** The thank-you fragment: one `<section class="encore-offers">`, one element per offer, all in `locale`. */
export function renderOfferFragment(items: FragmentOffer[], locale: string | null): string {
  const m = messagesFor(locale);
  return html`<section class="encore-offers" lang="${langOf(locale)}" data-nosnippet>
  <h2 class="encore-offers__heading">${m.heading}</h2>${items.map((item) => offerItem(item, m, locale))}
</section>
`.__html;
}
