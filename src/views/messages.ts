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
    kinds: { complement: 'Goes with your order', upsell: 'Upgrade', cross_sell: 'Customers also bought', bought_together: 'Often bought together' },
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
    kinds: { complement: 'Pasuje do zamówienia', upsell: 'Lepszy model', cross_sell: 'Klienci kupili też', bought_together: 'Często kupowane razem' },
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
    kinds: { complement: 'ご注文品に必要なもの', upsell: '上位モデル', cross_sell: 'よく一緒に購入されています', bought_together: 'よく一緒に買われている商品' },
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

/** Offer emails and the unsubscribe page, by language (English is the fallback, as above). */
const EMAIL_MESSAGES = {
  en: {
    subject: (products: string, discount: string) => `Your personal offer: ${discount} on ${products}`,
    intro: 'Thank you for your recent order. Here is an offer made just for you:',
    personal: 'This link is personal: the discount works only with the email address of your order.',
    why: (store: string) => `You are getting this email because of your order at ${store}.`,
    unsubscribe: 'Unsubscribe from offer emails',
    listSeparator: ', ',
    unsubscribeQuestion: 'Stop getting offer emails from this shop?',
    unsubscribeButton: 'Unsubscribe',
    unsubscribed: 'You are unsubscribed. We will not send you offer emails any more.',
    unsubscribeInvalid: 'This unsubscribe link is not valid.',
  },
  pl: {
    subject: (products: string, discount: string) => `Twoja osobista oferta: ${products} – ${discount}`,
    intro: 'Dziękujemy za niedawne zamówienie. Oto oferta przygotowana specjalnie dla Ciebie:',
    personal: 'Ten link jest osobisty: rabat działa tylko z adresem e-mail podanym w zamówieniu.',
    why: (store: string) => `Otrzymujesz tę wiadomość w związku z Twoim zamówieniem w sklepie ${store}.`,
    unsubscribe: 'Wypisz się z e-maili z ofertami',
    listSeparator: ', ',
    unsubscribeQuestion: 'Czy chcesz przestać otrzymywać e-maile z ofertami z tego sklepu?',
    unsubscribeButton: 'Wypisz mnie',
    unsubscribed: 'Wypisano Cię. Nie będziemy już wysyłać Ci e-maili z ofertami.',
    unsubscribeInvalid: 'Ten link do wypisania się jest nieprawidłowy.',
  },
  ja: {
    subject: (products: string, discount: string) => `お客様だけの特別オファー：${products}（${discount}）`,
    intro: '先日はご注文いただきありがとうございました。お客様だけの特別オファーをご用意しました。',
    personal: 'このリンクはお客様専用です。割引はご注文時のメールアドレスでのみご利用いただけます。',
    why: (store: string) => `このメールは${store}でのご注文に関連してお送りしています。`,
    unsubscribe: 'オファーメールの配信停止',
    listSeparator: '、',
    unsubscribeQuestion: 'このショップからのオファーメールの配信を停止しますか？',
    unsubscribeButton: '配信を停止する',
    unsubscribed: '配信を停止しました。今後、オファーメールはお送りしません。',
    unsubscribeInvalid: 'この配信停止リンクは無効です。',
  },
} as const;

export type EmailMessages = (typeof EMAIL_MESSAGES)[Lang];

export const emailMessagesFor = (locale: string | null | undefined): EmailMessages => EMAIL_MESSAGES[langOf(locale)];
