/**
 * @module
 * The sandbox's HTML pages (the login page of the OpenID Provider and the legacy SSO, the
 * consent page that stands in for the VNeID app): one escape for element content and quoted
 * attribute values, one style and one page frame. No script, no outside resource.
 */

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const STYLE =
  'body{font-family:system-ui,sans-serif;background:#f4f4f4;margin:0}main{max-width:420px;margin:40px auto;background:#fff;padding:24px 28px;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.2)}h1{font-size:1.3em;color:#b00}label{display:block;margin:12px 0 4px}input{width:100%;box-sizing:border-box;padding:8px;font-size:1em}button{margin-top:16px;padding:10px 16px;font-size:1em}.actions{display:flex;gap:12px;margin-top:18px}.actions button{flex:1;margin-top:0;padding:10px}.error{color:#b00}.muted{color:#666;font-size:.9em}';

/** A whole page: `title` is escaped here, `body` must already be safe HTML. */
export function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main><h1>VNeID (sandbox)</h1>${body}
<p class="muted">Sandbox — synthetic identities only.</p></main></body></html>`;
}
