/** Escapes text for HTML element content and double- or single-quoted attributes. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"'`=]/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** Tagged template whose interpolations are escaped unless wrapped with `raw`. */
export interface RawHtml {
  readonly __html: string;
}
export const raw = (html: string): RawHtml => ({ __html: html });

export function html(strings: TemplateStringsArray, ...values: unknown[]): RawHtml {
  let out = strings[0]!;
  values.forEach((value, i) => {
    const parts = Array.isArray(value) ? value : [value];
    for (const part of parts) {
      if (part === null || part === undefined || part === false) continue;
      out += typeof part === 'object' && '__html' in part ? (part as RawHtml).__html : escapeHtml(part);
    }
    out += strings[i + 1]!;
  });
  return raw(out);
}
