import type { Offer } from '../../src/domain/offer';
import type { Discount } from '../../src/domain/rule';
import { loggablePath } from '../../src/http/request-log';
import { escapeHtml, html, raw } from '../../src/views/html';
import { langOf, messagesFor } from '../../src/views/messages';
import { discountLabel, renderOfferFragment, type FragmentOffer } from '../../src/views/offer-fragment';
import { renderNoticePage } from '../../src/views/page';
import type { ProductSummary } from '../../src/storage/product-cache';

const NBSP = '\u00a0';

function offer(overrides: Partial<Offer> = {}): Offer {
  return {
    id: 'of_8k2m9q4x7f3z',
    orderId: 4711,
    ruleId: 'r_000000000001',
    kind: 'complement',
    productIds: [202],
    discount: { type: 'percent', amount: '15.00' },
    channel: 'thank_you',
    priority: 0,
    state: 'issued',
    issuedAt: '2026-11-20T14:05:42.000Z',
    expiresAt: '2026-11-23T14:05:42.000Z',
    sendAt: null,
    emailedAt: null,
    email: 'ann@example.com',
    customerId: 0,
    currency: 'PLN',
    locale: 'pl_PL',
    couponCode: null,
    couponId: null,
    clicks: 0,
    ...overrides,
  };
}

const toner: ProductSummary = {
  id: 202,
  name: 'Toner TN-200',
  permalink: 'https://sklep.example.pl/produkt/toner-tn-200/',
  price: '89.00',
  imageUrl: 'https://sklep.example.pl/wp-content/uploads/tn-200.jpg',
  purchasable: true,
  status: 'publish',
};

const item = (o: Offer, products: ProductSummary[] = [toner]): FragmentOffer => ({
  offer: o,
  link: `https://encore.example.com/o/${o.id}.sig`,
  products,
});

const offerIds = (fragment: string) => [...fragment.matchAll(/data-offer-id="([^"]*)"/g)].map((m) => m[1]);

describe('escapeHtml', () => {
  it('escapes every character that could end text or an attribute', () => {
    expect(escapeHtml('& < > " \' ` =')).toBe('&#38; &#60; &#62; &#34; &#39; &#96; &#61;');
  });

  it('leaves other text, non-ASCII included, as it is', () => {
    expect(escapeHtml('Toner — 3 000 stron, ご購入')).toBe('Toner — 3 000 stron, ご購入');
    expect(escapeHtml(42)).toBe('42');
  });

  it('the html template escapes values unless they are marked raw', () => {
    const value = '<b>"x"</b>';
    const escaped = '&#60;b&#62;&#34;x&#34;&#60;/b&#62;';
    expect(html`<p title="${value}">${value}${raw('<br>')}</p>`.__html).toBe(`<p title="${escaped}">${escaped}<br></p>`);
    expect(html`${null}${undefined}${false}${0}`.__html).toBe('0');
  });
});

describe('the thank-you fragment', () => {
  it('in Polish: heading, label and złoty amounts', () => {
    const fragment = renderOfferFragment(
      [
        item(offer({ id: 'of_pct', discount: { type: 'percent', amount: '12.50' } })),
        item(offer({ id: 'of_cart', discount: { type: 'fixed_cart', amount: '20.00' } })),
        item(offer({ id: 'of_each', discount: { type: 'fixed_product', amount: '1234.50' } })),
      ],
      'pl_PL',
    );
    expect(fragment).toContain('lang="pl"');
    expect(fragment).toContain('<h2 class="encore-offers__heading">Uzupełnij swój zakup</h2>');
    expect(fragment).toContain('12,5% taniej');
    expect(fragment).toContain(`20,00${NBSP}zł taniej<`);
    expect(fragment).toContain(`1234,50${NBSP}zł taniej za sztukę`);
    expect(fragment).toContain('Pasuje do zamówienia');
    expect(fragment).toContain('Dodaj do koszyka z rabatem');
    expect(offerIds(fragment)).toEqual(['of_pct', 'of_cart', 'of_each']);
  });

  it('in Japanese: heading and yen amounts without decimals', () => {
    const fragment = renderOfferFragment(
      [
        item(offer({ id: 'of_1', currency: 'JPY', locale: 'ja', kind: 'upsell', discount: { type: 'fixed_cart', amount: '500.00' } })),
        item(offer({ id: 'of_2', currency: 'JPY', locale: 'ja', kind: 'cross_sell', discount: { type: 'fixed_product', amount: '1500' } })),
        item(offer({ id: 'of_3', currency: 'JPY', locale: 'ja', discount: { type: 'percent', amount: '10.00' } })),
      ],
      'ja',
    );
    expect(fragment).toContain('lang="ja"');
    expect(fragment).toContain('ご購入品と一緒にいかがですか');
    expect(fragment).toContain('￥500引き');
    expect(fragment).toContain('1点につき￥1,500引き');
    expect(fragment).toContain('10%オフ');
    expect(fragment).toContain('上位モデル');
    expect(fragment).toContain('よく一緒に購入されています');
    expect(offerIds(fragment)).toEqual(['of_1', 'of_2', 'of_3']);
  });

  it('in English, also for a locale it has no messages for', () => {
    const en = renderOfferFragment([item(offer({ currency: 'USD', locale: null, discount: { type: 'fixed_cart', amount: '5' } }))], null);
    expect(en).toContain('lang="en"');
    expect(en).toContain('Complete your purchase');
    expect(en).toContain('$5.00 off<');
    const de = renderOfferFragment([item(offer({ currency: 'EUR', locale: 'de_DE', discount: { type: 'fixed_product', amount: '5' } }))], 'de_DE');
    expect(de).toContain('lang="en"');
    expect(de).toContain('Complete your purchase');
    expect(de).toContain(`5,00${NBSP}€ off each`);
  });

  it('one section, one article per offer, each with its product, expiry and link', () => {
    const fragment = renderOfferFragment([item(offer({ id: 'of_a' })), item(offer({ id: 'of_b', productIds: [202, 205] }))], 'pl_PL');
    expect(fragment.match(/<section /g)).toHaveLength(1);
    expect(fragment.match(/<article /g)).toHaveLength(2);
    expect(fragment).toContain('data-product-id="202"');
    expect(fragment).toContain('<span class="encore-offer__name">Toner TN-200</span>');
    expect(fragment).toContain('src="https://sklep.example.pl/wp-content/uploads/tn-200.jpg"');
    // A product whose details did not arrive in time still shows, by id.
    expect(fragment).toContain('data-product-id="205">#205</li>');
    expect(fragment).toContain('<time datetime="2026-11-23T14:05:42.000Z">');
    expect(fragment).toContain('href="https://encore.example.com/o/of_a.sig"');
  });

  it('escapes the link, product names and image URLs', () => {
    const hostile: ProductSummary = { ...toner, name: '<img src=x onerror=alert(1)>', imageUrl: 'https://x.example/a.jpg" onload="alert(1)' };
    const fragment = renderOfferFragment(
      [{ offer: offer(), link: 'https://encore.example.com/o/abc?x=1&y="2"', products: [hostile] }],
      'pl_PL',
    );
    expect(fragment).toContain('href="https://encore.example.com/o/abc?x&#61;1&#38;y&#61;&#34;2&#34;"');
    expect(fragment).toContain('&#60;img src&#61;x onerror&#61;alert(1)&#62;');
    expect(fragment).not.toContain('<img src=x');
    expect(fragment).not.toContain('" onload="');
  });

  it('an empty list renders the section with no offers', () => {
    expect(offerIds(renderOfferFragment([], 'en'))).toEqual([]);
  });
});

describe('discountLabel', () => {
  const label = (d: Discount, currency: string, locale: string | null) => discountLabel(d, currency, locale, messagesFor(locale));

  it('falls back to "amount CODE" for a currency Intl does not know', () => {
    expect(label({ type: 'fixed_cart', amount: '20.00' }, 'XXXX', 'en_US')).toBe('20.00 XXXX off');
  });

  it('shows at most two decimals of a percent', () => {
    expect(label({ type: 'percent', amount: '33.3333' }, 'PLN', 'en')).toBe('33.33% off');
  });
});

describe('langOf', () => {
  it.each([
    ['pl_PL', 'pl'],
    ['pl-PL', 'pl'],
    ['PL', 'pl'],
    ['ja_JP', 'ja'],
    ['de_DE', 'en'],
    [null, 'en'],
    ['', 'en'],
  ])('%j → %s', (locale, lang) => {
    expect(langOf(locale)).toBe(lang);
  });
});

describe('loggablePath', () => {
  it.each([
    ['/o/eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl', '/o/:token'],
    ['/o/eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl?utm_source=email', '/o/:token'],
    ['/u/eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl', '/u/:token'],
    ['/u/tok/one-click?List-Unsubscribe=One-Click', '/u/:token/one-click'],
    ['/healthz?token=secret', '/healthz'],
    ['/v1/admin/rules?search=printer', '/v1/admin/rules'],
    ['/webhooks/woocommerce', '/webhooks/woocommerce'],
  ])('%s → %s', (url, expected) => {
    expect(loggablePath(url)).toBe(expected);
  });

  it('keeps no token anywhere in the line', () => {
    const token = 'aaa.bbb.ccc';
    expect(loggablePath(`/o/${token}?again=${token}`)).not.toContain(token);
  });

  it('caps the length', () => {
    expect(loggablePath(`/${'x'.repeat(500)}`)).toHaveLength(200);
  });
});

describe('renderNoticePage', () => {
  it('is a small noindex page in the buyer’s language with a link to the shop', () => {
    const page = renderNoticePage({ message: messagesFor('pl_PL').expired, storeUrl: 'https://sklep.example.pl', locale: 'pl_PL' });
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('<html lang="pl">');
    expect(page).toContain('<meta name="robots" content="noindex,nofollow">');
    expect(page).toContain('<p>Ta oferta wygasła.</p>');
    expect(page).toContain('<a href="https://sklep.example.pl/">Przejdź do sklepu</a>');
  });

  it('in English by default, with the message escaped', () => {
    const page = renderNoticePage({ message: '<script>x</script>', storeUrl: 'https://shop.example.com' });
    expect(page).toContain('<html lang="en">');
    expect(page).toContain('Go to the shop');
    expect(page).toContain('&#60;script&#62;x&#60;/script&#62;');
    expect(page).not.toContain('<script>');
  });
});
