import { html, type RawHtml } from './html';
import { langOf, messagesFor } from './messages';

/**
 * A small full page for a buyer who opened an offer link that cannot be used (or a shop
 * that did not answer): says why, links to the shop, and is never indexed.
 */
export function renderNoticePage(opts: { message: string; storeUrl: string; locale?: string | null }): string {
  return layout(opts.locale, html`<p>${opts.message}</p>
<p><a href="${opts.storeUrl}/">${messagesFor(opts.locale).shopLink}</a></p>`);
}

/**
 * The page an automated-looking open gets: one button that POSTs back to the link. Scanners
 * do not press buttons; a person does, once, and lands in the store.
 */
export function renderContinuePage(opts: { action: string; storeUrl: string; locale?: string | null }): string {
  const m = messagesFor(opts.locale);
  return layout(opts.locale, html`<p>${m.continueIntro}</p>
<form method="post" action="${opts.action}"><button type="submit">${m.continueButton}</button></form>
<p><a href="${opts.storeUrl}/">${m.shopLink}</a></p>`);
}

function layout(locale: string | null | undefined, body: RawHtml): string {
  const m = messagesFor(locale);
  return html`<!doctype html>
<html lang="${langOf(locale)}">
<head>
<meta charset="utf-8">
<meta name="robots" content="noindex,nofollow">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${m.pageTitle}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;line-height:1.5;color:#222}a{color:#0b57d0}button{font:inherit;padding:.6rem 1.2rem;cursor:pointer}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`.__html;
}

/**
 * The unsubscribe page: a question and a button that POSTs back to the link (GET never
 * unsubscribes: mail scanners fetch links), or, without `action`, the outcome.
 */
export function renderUnsubscribePage(opts: { message: string; action?: string; button?: string; storeUrl: string; locale?: string | null }): string {
  const form = opts.action
    ? html`<form method="post" action="${opts.action}"><button type="submit">${opts.button ?? ''}</button></form>`
    : '';
  return layout(opts.locale, html`<p>${opts.message}</p>
${form}
<p><a href="${opts.storeUrl}/">${messagesFor(opts.locale).shopLink}</a></p>`);
}
