/**
 * @module
 * The sandbox consent page, standing in for the VNeID app when a citizen opens a share request's
 * universal link (IDENTITY-NOTES §4): it shows the partner, the purpose and every claim asked
 * for, takes the citizen's personal ID and password (ACCOUNTS' `checkPassword`, with its
 * throttling and lockout) and two explicit buttons, agree and refuse. Nothing is pre-selected
 * and pressing Enter submits nothing (the form's default button is a disabled one), because
 * consent must never be the default (Law 91/2025). After the decision the browser is sent (303)
 * to `callbackUrl/transactionCode|result`. Plain Hono routes (HTML, not in openapi.yaml); every
 * value is HTML-escaped; no script, no cookies.
 */
import type { Context, Hono } from 'hono';
import { checkPassword } from '../flows/login.ts';
import {
  CLAIM_LABELS,
  callbackOf,
  decideShareRequest,
  openShareRequest,
  type ShareRequestRow,
} from '../flows/share-requests.ts';
import { maskPersonalId } from '../flows/sms.ts';
import { randomId } from '../secrets.ts';
import type { RequestContext, Services } from './context.ts';
import { escapeHtml, page } from './html.ts';
import { isProblemError, PROBLEMS } from './problem.ts';

const FORM_LIMIT = 8 * 1024;
const SHARE_ID = /^[A-Za-z0-9_-]{16,64}$/;
const PERSONAL_ID = /^[0-9]{12}$/;

function htmlResponse(status: number, body: string, requestId: string): Response {
  return new Response(body, {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      'x-request-id': requestId,
    },
  });
}

export function renderConsentForm(
  row: ShareRequestRow,
  view: { personalId?: string; error?: string },
): string {
  const claims = row.claims.map((c) => `<li>${escapeHtml(CLAIM_LABELS[c] ?? c)}</li>`).join('');
  return page(
    'Chia sẻ thông tin',
    `<p><strong>${escapeHtml(row.partner_name)}</strong> đề nghị bạn chia sẻ thông tin
(<em>${escapeHtml(row.partner_name)} asks you to share</em>):</p>
<ul>${claims}</ul>
<p>Mục đích (purpose): ${escapeHtml(row.purpose)}</p>
<p class="muted">Hết hạn lúc (expires) ${escapeHtml(new Date(row.expires_at).toISOString())}</p>
${view.error !== undefined ? `<p class="error" role="alert">${escapeHtml(view.error)}</p>` : ''}
<form method="post" action="/__sandbox/consent/${escapeHtml(row.id)}">
<button type="submit" disabled hidden aria-hidden="true" tabindex="-1"></button>
<label for="personalId">Số định danh cá nhân (personal ID)</label>
<input id="personalId" name="personalId" inputmode="numeric" autocomplete="username" maxlength="12" required value="${escapeHtml(view.personalId ?? '')}">
<label for="password">Mật khẩu (password)</label>
<input id="password" name="password" type="password" autocomplete="current-password" maxlength="128" required>
<div class="actions">
<button type="submit" name="decision" value="refuse">Từ chối (refuse)</button>
<button type="submit" name="decision" value="agree">Đồng ý (agree)</button>
</div>
</form>`,
  );
}

function renderOutcome(row: ShareRequestRow): string {
  const text: Record<string, string> = {
    SUCCESS: 'Bạn đã đồng ý chia sẻ thông tin (shared).',
    FAILED: 'Bạn đã từ chối chia sẻ thông tin (refused).',
    EXPIRED: 'Yêu cầu đã hết hạn (the request has expired).',
    CANCELLED: 'Yêu cầu đã bị hủy (the request was cancelled).',
  };
  const link = row.result !== null ? callbackOf(row, row.result) : null;
  return page(
    'Chia sẻ thông tin',
    `<p>${escapeHtml(text[row.status] ?? row.status)}</p>
${link !== null ? `<p><a href="${escapeHtml(link)}">Quay lại ${escapeHtml(row.partner_name)} (back to the partner)</a></p>` : ''}`,
  );
}

const notFoundPage = () => page('Không tìm thấy', '<p>Không tìm thấy yêu cầu (no such share request).</p>');

async function contextOf(services: Services, c: Context): Promise<RequestContext> {
  const ip =
    (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket
      ?.remoteAddress ?? 'unknown';
  return { ...services, at: await services.now(), requestId: randomId(12), ip };
}

async function readForm(c: Context): Promise<URLSearchParams | null> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') return null;
  if (Number(c.req.header('content-length') ?? '0') > FORM_LIMIT) return null;
  const bytes = new Uint8Array(await c.req.raw.arrayBuffer());
  if (bytes.length > FORM_LIMIT) return null;
  try {
    return new URLSearchParams(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return null;
  }
}

/** Mounts `GET|POST /__sandbox/consent/:id` (sandbox mode only). */
export function mountConsentPage(app: Hono, services: Services, afterDecision: () => void = () => {}): void {
  if (!services.config.controls) return;
  const log = (rc: RequestContext, method: string, status: number, started: number) =>
    services.log({
      requestId: rc.requestId,
      method,
      route: '/__sandbox/consent/{id}',
      status,
      ms: Math.round((performance.now() - started) * 10) / 10,
      ...(rc.subject !== undefined ? { subject: rc.subject } : {}),
    });

  app.get('/__sandbox/consent/:id', async (c) => {
    const started = performance.now();
    const rc = await contextOf(services, c);
    const id = c.req.param('id');
    const row = SHARE_ID.test(id) ? await openShareRequest(rc, id) : null;
    const res =
      row === null
        ? htmlResponse(404, notFoundPage(), rc.requestId)
        : htmlResponse(
            200,
            row.status === 'PENDING' ? renderConsentForm(row, {}) : renderOutcome(row),
            rc.requestId,
          );
    log(rc, 'GET', res.status, started);
    return res;
  });

  app.post('/__sandbox/consent/:id', async (c) => {
    const started = performance.now();
    const rc = await contextOf(services, c);
    const id = c.req.param('id');
    const answer = async (): Promise<Response> => {
      const row = SHARE_ID.test(id) ? await openShareRequest(rc, id) : null;
      if (row === null) return htmlResponse(404, notFoundPage(), rc.requestId);
      if (row.status !== 'PENDING') return htmlResponse(409, renderOutcome(row), rc.requestId);
      const form = await readForm(c);
      const personalId = form?.get('personalId') ?? '';
      const password = form?.get('password') ?? '';
      const decision = form?.get('decision');
      const again = (status: number, error: string) =>
        htmlResponse(
          status,
          renderConsentForm(row, { ...(PERSONAL_ID.test(personalId) ? { personalId } : {}), error }),
          rc.requestId,
        );
      if (form === null || !PERSONAL_ID.test(personalId) || password.length === 0 || password.length > 128)
        return again(400, 'Nhập số định danh (12 chữ số) và mật khẩu (enter your personal ID and password).');
      if (decision !== 'agree' && decision !== 'refuse')
        return again(400, 'Chọn Đồng ý hoặc Từ chối (choose agree or refuse).');
      try {
        const citizen = await checkPassword(rc, personalId, password);
        if (citizen === null) return again(401, PROBLEMS.invalid_credentials[1]);
        rc.subject = `citizen:${maskPersonalId(personalId)}`;
        const outcome = await decideShareRequest(rc, id, citizen, decision);
        afterDecision();
        return new Response(null, {
          status: 303,
          headers: {
            location: outcome.redirectTo,
            'cache-control': 'no-store',
            'x-request-id': rc.requestId,
          },
        });
      } catch (error) {
        if (!isProblemError(error)) throw error;
        if (error.code === 'share_request_expired' || error.code === 'conflict') {
          const current = await openShareRequest(rc, id);
          if (current !== null) return htmlResponse(409, renderOutcome(current), rc.requestId);
        }
        return again(error.status, PROBLEMS[error.code][1]);
      }
    };
    let res: Response;
    try {
      res = await answer();
    } catch (error) {
      rc.log({
        requestId: rc.requestId,
        level: 'error',
        error: error instanceof Error ? `${error.name}: ${error.message}` : 'unknown',
      });
      res = htmlResponse(500, page('Lỗi', '<p>Lỗi hệ thống (internal error).</p>'), rc.requestId);
    }
    log(rc, 'POST', res.status, started);
    return res;
  });
}
