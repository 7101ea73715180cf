/**
 * @module
 * The sandbox's login page, shared by the OpenID Provider's interactions and the legacy VNeID
 * SSO: step 1 personal ID + password, step 2 the approval "as if on the bound device" (the real
 * VNeID asks the citizen to confirm in the app). Every value is HTML-escaped; every form carries
 * a CSRF token bound to the interaction; no script.
 */
import { escapeHtml, page } from '../http/html.ts';

export interface LoginFormView {
  action: string;
  csrf: string;
  clientName: string;
  personalId?: string;
  error?: string;
}

export function renderLoginForm(view: LoginFormView): string {
  return page(
    'Đăng nhập VNeID',
    `<p>Đăng nhập để tiếp tục tới <strong>${escapeHtml(view.clientName)}</strong>.</p>
${view.error !== undefined ? `<p class="error" role="alert">${escapeHtml(view.error)}</p>` : ''}
<form method="post" action="${escapeHtml(view.action)}">
<input type="hidden" name="csrf" value="${escapeHtml(view.csrf)}">
<label for="personalId">Số định danh cá nhân</label>
<input id="personalId" name="personalId" inputmode="numeric" autocomplete="username" maxlength="12" required value="${escapeHtml(view.personalId ?? '')}">
<label for="password">Mật khẩu</label>
<input id="password" name="password" type="password" autocomplete="current-password" maxlength="64" required>
<button type="submit">Đăng nhập</button>
</form>`,
  );
}

export interface ApprovalView {
  action: string;
  csrf: string;
  clientName: string;
  fullName: string;
  maskedPersonalId: string;
  scopes: string[];
}

export function renderApproval(view: ApprovalView): string {
  return page(
    'Xác nhận đăng nhập',
    `<p>Xác nhận trên thiết bị đã liên kết (sandbox: thay cho ứng dụng VNeID).</p>
<p><strong>${escapeHtml(view.fullName)}</strong> (${escapeHtml(view.maskedPersonalId)}) đăng nhập vào
<strong>${escapeHtml(view.clientName)}</strong>.</p>
<p class="muted">Phạm vi: ${escapeHtml(view.scopes.join(' '))}</p>
<form method="post" action="${escapeHtml(view.action)}">
<input type="hidden" name="csrf" value="${escapeHtml(view.csrf)}">
<button type="submit" name="decision" value="approve">Đồng ý</button>
<button type="submit" name="decision" value="deny">Từ chối</button>
</form>`,
  );
}

export function renderMessage(title: string, message: string): string {
  return page(title, `<p class="error" role="alert">${escapeHtml(message)}</p>`);
}
