import { html } from './html';
import { langOf, messagesFor } from './messages';

/**
 * A small full page for a buyer who opened an offer link that cannot be used (or a shop
 * that did not answer): says why, links to the shop, and is never indexed.
 */
export function renderNoticePage(opts: { message: string; storeUrl: string; locale?: string | null }): string {
  const m = messagesFor(opts.locale);
  return html`<!doctype html>
<html lang="${langOf(opts.locale)}">
<head>
<meta charset="utf-8">
<meta name="robots" content="noindex,nofollow">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${m.pageTitle}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;line-height:1.5;color:#222}a{color:#0b57d0}</style>
</head>
<body>
<main>
<p>${opts.message}</p>
<p><a href="${opts.storeUrl}/">${m.shopLink}</a></p>
</main>
</body>
</html>
`.__html;
}
