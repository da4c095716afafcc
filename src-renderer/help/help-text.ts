/**
 * The small inline markup of the hand-written help pages, parsed into tokens that HelpText.svelte
 * renders as elements (never as raw HTML): **bold**, `code`, {Key}, [[page-id|text]].
 * Unmatched markers stay plain text.
 */

export type InlineToken =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'bold'; readonly text: string }
  | { readonly kind: 'code'; readonly text: string }
  | { readonly kind: 'key'; readonly text: string }
  | { readonly kind: 'link'; readonly text: string; readonly page: string };

const MARKUP = /\*\*([^*]+)\*\*|`([^`]+)`|\{([^{}]+)\}|\[\[([^\]|]+)\|([^\]]+)\]\]/g;

/** Tokens of `source` in order; adjacent plain text is one token. */
export function parseInline(source: string): InlineToken[] {
  const out: InlineToken[] = [];
  let last = 0;
  for (const m of source.matchAll(MARKUP)) {
    const at = m.index ?? 0;
    if (at > last) out.push({ kind: 'text', text: source.slice(last, at) });
    if (m[1] !== undefined) out.push({ kind: 'bold', text: m[1] });
    else if (m[2] !== undefined) out.push({ kind: 'code', text: m[2] });
    else if (m[3] !== undefined) out.push({ kind: 'key', text: m[3] });
    else out.push({ kind: 'link', page: m[4], text: m[5] });
    last = at + m[0].length;
  }
  if (last < source.length) out.push({ kind: 'text', text: source.slice(last) });
  return out;
}

/** The text a reader sees (markup removed), for search and plain-text output. */
export function plainText(source: string): string {
  return parseInline(source)
    .map((t) => t.text)
    .join('');
}
