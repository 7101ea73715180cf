/**
 * @module
 * The sandbox's login page, shared by the OpenID Provider's interactions and the legacy VNeID
 * SSO: step 1 personal ID + password, step 2 the approval "as if on the bound device" (the real
 * VNeID asks the citizen to confirm in the app). Every value is HTML-escaped; every form carries
 * a CSRF token bound to the interaction; no script.
 */

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const STYLE =
  'body{font-family:system-ui,sans-serif;background:#f4f4f4;margin:0}main{max-width:380px;margin:48px auto;background:#fff;padding:24px 28px;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.2)}h1{font-size:1.3em;color:#b00}label{display:block;margin:12px 0 4px}input{width:100%;box-sizing:border-box;padding:8px;font-size:1em}button{margin-top:16px;padding:10px 16px;font-size:1em}.error{color:#b00}.muted{color:#666;font-size:.9em}';

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main><h1>VNeID (sandbox)</h1>${body}
<p class="muted">Sandbox — synthetic identities only.</p></main></body></html>`;
}

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
