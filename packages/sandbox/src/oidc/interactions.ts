/**
 * @module
 * The OpenID Provider's interactions (`/oidc/interaction/:uid`): the login page (personal ID +
 * password through ACCOUNTS' `checkPassword`, same lockout and throttle as the app login), then
 * the approval "as if on the bound device", then consent granted automatically for what the
 * relying party asked (scopes and claims). With `--auto-approve`, a request whose `login_hint`
 * is the personal ID of an active citizen completes without a page (as MockPass does).
 *
 * The interaction is bound to the browser by oidc-provider's signed interaction cookie and to
 * the URL by its uid; every form also carries a CSRF token (an HMAC of the uid under the
 * service key). The password step's result waits in `oidc_login_steps` (single use, 5 minutes
 * on the sandbox clock) until the approval.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Provider } from 'oidc-provider';
import { maskPersonalId } from '../flows/sms.ts';
import type { RequestContext, Services } from '../http/context.ts';
import { randomId } from '../secrets.ts';
import { type Citizen, canLogIn, findCitizen, findCitizenByAccountId, tryPassword } from './citizens.ts';
import { renderApproval, renderLoginForm, renderMessage } from './login-page.ts';
import { BodyError, readForm, redirect303, sendHtml } from './node-http.ts';
import { INTERACTION_PREFIX, requestedMinLevel } from './provider.ts';

const STEP_SECONDS = 300;
const PERSONAL_ID = /^\d{12}$/;

type Details = Awaited<ReturnType<Provider['interactionDetails']>>;

export function createInteractionHandler(provider: Provider, services: Services) {
  const csrfOf = (uid: string) => services.secrets.mac('oidc-csrf', uid);

  const contextOf = async (req: IncomingMessage): Promise<RequestContext> => ({
    ...services,
    at: await services.now(),
    requestId: randomId(12),
    ip: req.socket.remoteAddress ?? 'unknown',
  });

  const clientName = async (details: Details): Promise<string> => {
    const client = await provider.Client.find(String(details.params['client_id'] ?? ''));
    return String(client?.clientName ?? details.params['client_id'] ?? '');
  };

  /** Login (and consent for what was asked) in one result; or the error when the level is too low. */
  const finish = async (
    req: IncomingMessage,
    res: ServerResponse,
    details: Details,
    citizen: Citizen,
    amr: string[] | undefined,
  ): Promise<void> => {
    const params = details.params as Record<string, unknown>;
    if (citizen.level < requestedMinLevel(params)) {
      const url = await provider.interactionResult(
        req,
        res,
        {
          error: 'unmet_authentication_requirements',
          error_description: 'the account level does not satisfy the requested acr_values',
        },
        { mergeWithLastSubmission: false },
      );
      redirect303(res, url);
      return;
    }
    const grantId = await grantFor(details, citizen.accountId);
    const url = await provider.interactionResult(
      req,
      res,
      {
        login: {
          accountId: citizen.accountId,
          acr: citizen.level >= 2 ? 'LoA2' : 'LoA1',
          ...(amr !== undefined ? { amr } : {}),
        },
        consent: { grantId },
      },
      { mergeWithLastSubmission: false },
    );
    redirect303(res, url);
  };

  /** Consent is automatic in the sandbox: the grant covers every requested scope and claim. */
  const grantFor = async (details: Details, accountId: string): Promise<string> => {
    const clientId = String(details.params['client_id']);
    const existing = details.grantId !== undefined ? await provider.Grant.find(details.grantId) : undefined;
    const grant =
      existing !== undefined && existing.accountId === accountId
        ? existing
        : new provider.Grant({ accountId, clientId });
    grant.addOIDCScope(String(details.params['scope'] ?? 'openid'));
    const claims = details.params['claims'];
    if (typeof claims === 'string') {
      try {
        const parsed = JSON.parse(claims) as { id_token?: object; userinfo?: object };
        const names = [...Object.keys(parsed.id_token ?? {}), ...Object.keys(parsed.userinfo ?? {})];
        if (names.length > 0) grant.addOIDCClaims(names);
      } catch {
        // validated by oidc-provider before the interaction
      }
    }
    return grant.save();
  };

  const loginForm = async (
    res: ServerResponse,
    details: Details,
    status: number,
    error?: string,
    personalId?: string,
  ) => {
    const hint = details.params['login_hint'];
    sendHtml(
      res,
      status,
      renderLoginForm({
        action: `${INTERACTION_PREFIX}${details.uid}/login`,
        csrf: csrfOf(details.uid),
        clientName: await clientName(details),
        ...(error !== undefined ? { error } : {}),
        ...(personalId !== undefined
          ? { personalId }
          : typeof hint === 'string' && PERSONAL_ID.test(hint)
            ? { personalId: hint }
            : {}),
      }),
    );
  };

  const show = async (req: IncomingMessage, res: ServerResponse, details: Details) => {
    const hint = details.params['login_hint'];
    if (details.prompt.name === 'login') {
      if (services.config.autoApprove && typeof hint === 'string' && PERSONAL_ID.test(hint)) {
        const citizen = await findCitizen(services.db, hint);
        if (citizen !== null && canLogIn(citizen)) return finish(req, res, details, citizen, undefined);
      }
      return loginForm(res, details, 200);
    }
    // consent (or anything else): granted automatically for the session's account
    const accountId = details.session?.accountId;
    const citizen = accountId !== undefined ? await findCitizenByAccountId(services.db, accountId) : null;
    if (citizen === null || !canLogIn(citizen)) return loginForm(res, details, 200);
    return finish(req, res, details, citizen, undefined);
  };

  const checkCsrf = (form: Map<string, string>, uid: string): boolean => {
    const token = form.get('csrf');
    return token !== undefined && services.secrets.macEquals('oidc-csrf', uid, token);
  };

  const login = async (req: IncomingMessage, res: ServerResponse, details: Details) => {
    const form = await readForm(req);
    if (!checkCsrf(form, details.uid))
      return sendHtml(res, 403, renderMessage('Lỗi', 'Phiên đăng nhập không hợp lệ (CSRF).'));
    const personalId = (form.get('personalId') ?? '').trim();
    const password = form.get('password') ?? '';
    if (!PERSONAL_ID.test(personalId) || password.length === 0 || password.length > 256)
      return loginForm(
        res,
        details,
        400,
        'Số định danh cá nhân gồm 12 chữ số và mật khẩu là bắt buộc.',
        personalId,
      );
    const rc = await contextOf(req);
    const citizen = await tryPassword(rc, personalId, password);
    if (citizen === 'rate_limited')
      return loginForm(res, details, 429, 'Quá nhiều lần thử. Vui lòng thử lại sau.', personalId);
    if (citizen === null)
      return loginForm(res, details, 401, 'Số định danh cá nhân hoặc mật khẩu không đúng.', personalId);
    if (!canLogIn(citizen))
      return loginForm(
        res,
        details,
        403,
        'Tài khoản chưa được định danh điện tử hoặc chưa kích hoạt.',
        personalId,
      );
    await services.db.query(
      `INSERT INTO oidc_login_steps (uid, account_id, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (uid) DO UPDATE SET account_id = EXCLUDED.account_id, expires_at = EXCLUDED.expires_at`,
      [details.uid, citizen.accountId, new Date(rc.at.getTime() + STEP_SECONDS * 1000)],
    );
    sendHtml(
      res,
      200,
      renderApproval({
        action: `${INTERACTION_PREFIX}${details.uid}/approve`,
        csrf: csrfOf(details.uid),
        clientName: await clientName(details),
        fullName: citizen.fullName,
        maskedPersonalId: maskPersonalId(citizen.personalId),
        scopes: String(details.params['scope'] ?? '').split(' '),
      }),
    );
  };

  const approve = async (req: IncomingMessage, res: ServerResponse, details: Details) => {
    const form = await readForm(req);
    if (!checkCsrf(form, details.uid))
      return sendHtml(res, 403, renderMessage('Lỗi', 'Phiên đăng nhập không hợp lệ (CSRF).'));
    const { rows } = await services.db.query<{ account_id: string }>(
      'DELETE FROM oidc_login_steps WHERE uid = $1 AND expires_at > $2 RETURNING account_id',
      [details.uid, await services.now()],
    );
    const accountId = rows[0]?.account_id;
    if (accountId === undefined) return loginForm(res, details, 400, 'Vui lòng đăng nhập lại.');
    if (form.get('decision') !== 'approve') {
      const url = await provider.interactionResult(
        req,
        res,
        { error: 'access_denied', error_description: 'the citizen refused the login' },
        { mergeWithLastSubmission: false },
      );
      return redirect303(res, url);
    }
    const citizen = await findCitizenByAccountId(services.db, accountId);
    if (citizen === null || !canLogIn(citizen))
      return loginForm(res, details, 403, 'Vui lòng đăng nhập lại.');
    return finish(req, res, details, citizen, ['pwd', 'swk']);
  };

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    const path = (req.url ?? '/').split('?')[0]!;
    const [uid, action, ...rest] = path.slice(INTERACTION_PREFIX.length).split('/');
    const route = `${INTERACTION_PREFIX}:uid${action !== undefined ? `/${action}` : ''}`;
    try {
      if (uid === undefined || uid === '' || rest.length > 0) {
        sendHtml(res, 404, renderMessage('Lỗi', 'Không tìm thấy trang.'));
        return;
      }
      let details: Details;
      try {
        details = await provider.interactionDetails(req, res);
      } catch {
        sendHtml(res, 400, renderMessage('Lỗi', 'Phiên đăng nhập đã hết hạn hoặc không hợp lệ.'));
        return;
      }
      if (details.uid !== uid) {
        sendHtml(res, 400, renderMessage('Lỗi', 'Phiên đăng nhập không khớp.'));
        return;
      }
      if (req.method === 'GET' && action === undefined) await show(req, res, details);
      else if (req.method === 'POST' && action === 'login') await login(req, res, details);
      else if (req.method === 'POST' && action === 'approve') await approve(req, res, details);
      else sendHtml(res, 405, renderMessage('Lỗi', 'Phương thức không được hỗ trợ.'));
    } catch (error) {
      if (!res.headersSent) {
        if (error instanceof BodyError) sendHtml(res, error.status, renderMessage('Lỗi', error.message));
        else {
          services.log({
            level: 'error',
            area: 'oidc',
            error: error instanceof Error ? `${error.name}: ${error.message}` : 'unknown',
          });
          sendHtml(res, 500, renderMessage('Lỗi', 'Lỗi hệ thống.'));
        }
      }
    } finally {
      services.log({
        method: req.method,
        route,
        status: res.statusCode,
        ms: Math.round((performance.now() - started) * 10) / 10,
      });
    }
  };
}
