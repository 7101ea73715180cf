/**
 * @module
 * Small helpers for the OpenID Provider's own Node request handlers (login page, legacy SSO):
 * reading a size-limited `application/x-www-form-urlencoded` body, and writing HTML, JSON and
 * 303 redirects with the security headers the pages need (no framing, no caching, a strict CSP).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export const FORM_BODY_LIMIT = 16 * 1024;

export class BodyError extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
  ) {
    super(message);
    this.name = 'BodyError';
  }
}

export function mediaTypeOf(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Reads the raw body, at most `limit` bytes (413 beyond). */
export async function readRawBody(req: IncomingMessage, limit = FORM_BODY_LIMIT): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) {
    req.resume();
    throw new BodyError(413, `at most ${limit} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyError(413, `at most ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** A form body as a map of its first values; 415 for another media type. */
export async function readForm(req: IncomingMessage, limit = FORM_BODY_LIMIT): Promise<Map<string, string>> {
  if (mediaTypeOf(req) !== 'application/x-www-form-urlencoded') {
    req.resume();
    throw new BodyError(415, 'expected application/x-www-form-urlencoded');
  }
  const raw = await readRawBody(req, limit);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw new BodyError(400, 'the body is not UTF-8');
  }
  const form = new Map<string, string>();
  for (const [key, value] of new URLSearchParams(text)) if (!form.has(key)) form.set(key, value);
  return form;
}

const PAGE_HEADERS = {
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  // No form-action: browsers apply it to the redirects that follow a form post, so it would
  // refuse the approval's redirect back to the relying party's (registered) redirect URI.
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
};

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  const body = Buffer.from(html, 'utf8');
  res.writeHead(status, {
    ...PAGE_HEADERS,
    'content-type': 'text/html; charset=utf-8',
    'content-length': String(body.length),
  });
  res.end(body);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  res.writeHead(status, {
    'cache-control': 'no-store',
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(body.length),
    ...headers,
  });
  res.end(body);
}

export function redirect303(res: ServerResponse, location: string): void {
  res.writeHead(303, { location, 'cache-control': 'no-store', 'content-length': '0' });
  res.end();
}
