/**
 * Buyer-facing text by language. WordPress locales such as `pl_PL` map to their language;
 * anything unknown falls back to English.
 */
export type Lang = 'en' | 'pl' | 'ja';

const MESSAGES = {
  en: {
    heading: 'Complete your purchase',
    validUntil: 'Offer valid until',
    cta: 'Add to cart with discount',
    percentOff: (amount: string) => `${amount}% off`,
    amountOff: (amount: string) => `${amount} off`,
    amountOffEach: (amount: string) => `${amount} off each`,
    kinds: { complement: 'Goes with your order', upsell: 'Upgrade', cross_sell: 'Customers also bought' },
    pageTitle: 'Offer',
    shopLink: 'Go to the shop',
    notFound: 'This offer link is not valid.',
    expired: 'This offer has expired.',
    revoked: 'This offer has been withdrawn.',
    used: 'This offer has already been used.',
    tryAgain: 'The shop is not answering right now. Please try again in a moment.',
    tooMany: 'Too many requests. Please wait a minute and try again.',
    continueIntro: 'Your personal offer is ready.',
    continueButton: 'Continue to the shop',
  },
  pl: {
    heading: 'Uzupełnij swój zakup',
    validUntil: 'Oferta ważna do',
    cta: 'Dodaj do koszyka z rabatem',
    percentOff: (amount: string) => `${amount}% taniej`,
    amountOff: (amount: string) => `${amount} taniej`,
    amountOffEach: (amount: string) => `${amount} taniej za sztukę`,
    kinds: { complement: 'Pasuje do zamówienia', upsell: 'Lepszy model', cross_sell: 'Klienci kupili też' },
    pageTitle: 'Oferta',
    shopLink: 'Przejdź do sklepu',
    notFound: 'Ten link do oferty jest nieprawidłowy.',
    expired: 'Ta oferta wygasła.',
    revoked: 'Ta oferta została wycofana.',
    used: 'Ta oferta została już wykorzystana.',
    tryAgain: 'Sklep chwilowo nie odpowiada. Spróbuj ponownie za chwilę.',
    tooMany: 'Zbyt wiele żądań. Odczekaj minutę i spróbuj ponownie.',
    continueIntro: 'Twoja osobista oferta jest gotowa.',
    continueButton: 'Przejdź do sklepu',
  },
  ja: {
    heading: 'ご購入品と一緒にいかがですか',
    validUntil: '有効期限',
    cta: '割引価格でカートに追加',
    percentOff: (amount: string) => `${amount}%オフ`,
    amountOff: (amount: string) => `${amount}引き`,
    amountOffEach: (amount: string) => `1点につき${amount}引き`,
    kinds: { complement: 'ご注文品に必要なもの', upsell: '上位モデル', cross_sell: 'よく一緒に購入されています' },
    pageTitle: 'オファー',
    shopLink: 'ショップへ',
    notFound: 'このオファーのリンクは無効です。',
    expired: 'このオファーは期限切れです。',
    revoked: 'このオファーは取り消されました。',
    used: 'このオファーはすでに使用されています。',
    tryAgain: 'ショップが応答していません。しばらくしてからもう一度お試しください。',
    tooMany: 'リクエストが多すぎます。1分ほど待ってからお試しください。',
    continueIntro: 'お客様専用のオファーをご用意しました。',
    continueButton: 'ショップへ進む',
  },
} as const;

export type Messages = (typeof MESSAGES)[Lang];

/** `pl_PL`, `pl-PL`, `pl` → `pl`; unknown → `en`. */
export function langOf(locale: string | null | undefined): Lang {
  const lang = (locale ?? '').slice(0, 2).toLowerCase();
  return lang === 'pl' || lang === 'ja' ? lang : 'en';
}

export const messagesFor = (locale: string | null | undefined): Messages => MESSAGES[langOf(locale)];

/** A BCP 47 tag for Intl: `pl_PL` → `pl-PL`. */
export const intlLocale = (locale: string | null | undefined): string =>
  /^[a-z]{2,3}([_-][A-Za-z]{2,4})?$/.test(locale ?? '') ? locale!.replace('_', '-') : langOf(locale);
