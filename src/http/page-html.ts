/** Text safe in HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Tagged template whose interpolations are escaped unless they are `Html` already. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Part = string | number | Html | undefined | null | false | readonly Part[];

function render(part: Part): string {
  if (part === undefined || part === null || part === false) return '';
  if (part instanceof Html) return part.value;
  if (Array.isArray(part)) return part.map(render).join('');
  return escapeHtml(String(part));
}

export function html(strings: TemplateStringsArray, ...parts: Part[]): Html {
  let out = strings[0]!;
  parts.forEach((part, i) => (out += render(part) + strings[i + 1]!));
  return new Html(out);
}

/** A picture drawn by src/render, inline, named by its text alternative (shown under it too). */
export function figure(svg: string, alt: string, id: string): Html {
  const labelled = svg.replace(/^<svg /, `<svg role="img" aria-labelledby="${id}" focusable="false" `);
  return html`<figure class="chart">${new Html(labelled)}<figcaption id="${id}">${alt}</figcaption></figure>`;
}

/** A whole page: the bot's own stylesheet and fonts, nothing from any other host. */
export function pageDocument(options: { title: string; heading: string; crumbs?: Html; body: Html; indexable: boolean }): string {
  return `<!doctype html>${html`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light dark">${
    options.indexable ? '' : new Html('<meta name="robots" content="noindex, nofollow">')
  }<title>${options.title}</title><link rel="icon" href="/assets/icon.svg" type="image/svg+xml"><link rel="stylesheet" href="/assets/page.css"></head><body><a class="skip" href="#main">Skip to content</a><header><p class="brand">✍️ Inkwell</p>${options.crumbs ?? ''}<h1>${options.heading}</h1></header><main id="main">${options.body}</main><footer><p>Members who chose /privacy are not shown. Numbers as of the page's last refresh.</p></footer></body></html>`.value}`;
}

/** The one page every refusal shows: it says nothing of whether a link ever existed. */
export function problemPage(status: 404 | 405 | 414 | 429 | 500): string {
  const words: Record<typeof status, [string, string]> = {
    404: ['Page not found', 'This page does not exist, or its link has changed. Ask the bot for the current one with /dashboard in your group.'],
    405: ['Method not allowed', 'These pages can only be read (GET or HEAD).'],
    414: ['Address too long', 'That address is longer than any page here.'],
    429: ['Too many requests', 'Please wait a few seconds and reload.'],
    500: ['Something went wrong', 'The page could not be shown this time. Please try again in a moment.'],
  };
  const [title, text] = words[status];
  return pageDocument({ title, heading: title, body: html`<p>${text}</p>`, indexable: false });
}
