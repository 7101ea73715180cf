/**
 * @module
 * Demo section: the identity half end to end against a real local sandbox (PGlite in memory,
 * loopback, port 0). The software chip's holder (a synthetic citizen) registers an app account
 * (SMS OTP from the sandbox outbox), logs in, applies for a level-1 eID with its chip files
 * (passive authentication on the server), is approved through the sandbox controls, activates
 * the eID (OTP, password if none, passcode, two security questions) and logs in at level 1; a
 * relying party (`demo-rp`, FAPI 2.0: PAR + PKCE + DPoP + private_key_jwt) then logs the
 * citizen in with `login_hint` and auto-approve, and a bank verifies the same chip. Output is
 * masked: no full personal ID, no password, no code.
 */
import {
  createIdentityClient,
  type IdentityClient,
  maskPersonalId,
} from '../../packages/client/src/index.ts';
import { DEMO_RP_CLIENT_ID, DEMO_RP_PRIVATE_JWK } from '../../packages/sandbox/src/oidc/demo-client.ts';
import { startSandbox } from '../../packages/sandbox/src/server.ts';
import type { DemoSection } from './sections.ts';

interface Seeded {
  personalId: string;
  fullName: string;
  sex: 'male' | 'female';
  birthDate: string;
  address: string;
  phone: string;
  state: string;
  chipSeed: number;
}

/** A 1×1 JPEG standing in for the portrait the app would take. */
const PORTRAIT = Uint8Array.from(
  atob(
    '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AKp//2Q==',
  ),
  (c) => c.charCodeAt(0),
);

/** demo-rp's registered redirect URI; the demo catches the redirect instead of serving it. */
const REDIRECT_URI = 'http://127.0.0.1:4020/callback';

export const identityDemo: DemoSection = {
  title: 'Identity: sandbox, registration, level-1 eID from the chip, activation, "log in with VNeID"',
  async run(): Promise<void> {
    const started = Date.now();
    const sandbox = await startSandbox({ port: 0, autoApprove: true });
    try {
      const url = sandbox.url;
      const get = async <T>(path: string): Promise<T> => (await (await fetch(url + path)).json()) as T;
      const post = (path: string, body: unknown) =>
        fetch(url + path, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      /** The code of the newest SMS of `purpose` to `phone` (the sandbox outbox: nothing is sent). */
      const smsCode = async (phone: string, purpose: string): Promise<string> => {
        const { messages } = await get<{ messages: { code?: string; purpose: string }[] }>(
          `/__sandbox/outbox/sms?phone=${phone}`,
        );
        const code = messages.find((m) => m.purpose === purpose && m.code !== undefined)?.code;
        if (code === undefined) throw new Error(`demo: no ${purpose} SMS`);
        return code;
      };
      console.log(`Sandbox on ${url} (PGlite in memory)`);

      const { identities } = await get<{ identities: Seeded[] }>('/__sandbox/identities');
      const holder = identities.find((i) => i.chipSeed === 7)!;
      const who = maskPersonalId(holder.personalId);
      console.log(`Software chip holder: ${who} ${holder.fullName} (seeded state: ${holder.state})`);

      const client: IdentityClient = createIdentityClient({
        issuer: url,
        partner: { code: 'demo-bank', secret: 'demo-bank-sandbox-secret' },
      });
      const password = `Demo@${crypto.getRandomValues(new Uint32Array(1))[0]!.toString(36)}Aa1`;
      const device = { id: 'demo-phone', name: 'Demo phone' };

      // 1. app account: the fields the app fills from the card, SMS OTP, password
      const reg = await client.account.register({
        personalId: holder.personalId,
        phone: holder.phone,
        fullName: holder.fullName,
        sex: holder.sex,
        birthDate: holder.birthDate,
        address: holder.address,
        acceptTerms: true,
      });
      console.log(`Registration: OTP sent to ${reg.otp.maskedPhone ?? 'the phone'}`);
      await client.account.verifyOtp(reg.otp.challengeId, await smsCode(holder.phone, 'registration'));
      await client.account.setRegistrationPassword(reg.registrationId, password);
      const appLogin = await client.account.login({ personalId: holder.personalId, password, device });
      if (appLogin.kind !== 'session') throw new Error('demo: expected a session on the first device');
      console.log(
        `App account created and logged in (level ${appLogin.session.account?.level}, ${appLogin.session.account?.state})`,
      );

      // 2. level-1 eID application with the chip files (EF.COM, EF.SOD, DG1, DG2, DG13–15)
      const chip = await get<{ files: Record<string, string> }>(`/__sandbox/chips/${holder.personalId}`);
      const chipFiles: Record<string, Uint8Array> = {};
      for (const [name, b64] of Object.entries(chip.files))
        chipFiles[name] = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const application = await client.eid.apply(appLogin.session, {
        evidence: { kind: 'nfc', chipFiles: chipFiles as { sod: Uint8Array; dg1: Uint8Array } },
        portrait: PORTRAIT,
      });
      console.log(
        `Level-1 application with chip evidence (${Object.keys(chip.files).length} files, passive authentication passed): ${application.status}`,
      );
      const decided = await post(`/__sandbox/eid/applications/${application.applicationId}/decision`, {
        decision: 'approve',
      });
      if (decided.status !== 200) throw new Error(`demo: approval failed (HTTP ${decided.status})`);
      const status = await client.eid.application(appLogin.session, application.applicationId);
      console.log(`Approved through the sandbox controls: ${status.status}`);

      // 3. activation: ID + phone → OTP → (password) → passcode → two security questions
      const activation = await client.eid.startActivation({
        personalId: holder.personalId,
        phone: holder.phone,
        device,
      });
      await client.account.verifyOtp(activation.otp!.challengeId, await smsCode(holder.phone, 'activation'));
      if (activation.passwordRequired)
        await client.eid.setActivationPassword(activation.activationId, password);
      await client.eid.setActivationPasscode(activation.activationId, '908172');
      const { questions, required } = await client.eid.securityQuestions();
      const done = await client.eid.answerSecurityQuestions(
        activation.activationId,
        questions.slice(0, required).map((q, i) => ({ questionId: q.id, answer: `Câu trả lời ${i + 1}` })),
      );
      console.log(
        `Activation: OTP, ${activation.passwordRequired ? 'password, ' : ''}passcode, ${required} security questions → ${done.state}`,
      );
      const eidLogin = await client.account.login({ personalId: holder.personalId, password, device });
      if (eidLogin.kind !== 'session') throw new Error('demo: expected a session');
      console.log(
        `Logged in again: level ${eidLogin.session.account?.level}, ${eidLogin.session.account?.state}`,
      );

      // 4. a relying party logs the citizen in (FAPI 2.0; auto-approve with login_hint)
      const rp = createIdentityClient({
        issuer: url,
        clientId: DEMO_RP_CLIENT_ID,
        clientAuth: { kind: 'private_key_jwt', key: DEMO_RP_PRIVATE_JWK, kid: DEMO_RP_PRIVATE_JWK.kid },
      });
      const request = await rp.sso.createAuthorizationRequest({
        redirectUri: REDIRECT_URI,
        loginHint: holder.personalId,
      });
      const callback = await followToRedirect(request.url, REDIRECT_URI);
      const { claims, tokens } = await rp.sso.handleCallback(callback, request);
      console.log(
        `Relying party demo-rp (PAR + PKCE + DPoP + private_key_jwt): ${claims.fullName}, ${maskPersonalId(claims.personalId)}, level ${claims.accountLevel}, acr ${String(claims.raw['acr'])}, ${tokens.tokenType} access token`,
      );

      // 5. a bank verifies the same chip (C06 style, evidence JWS checked against the JWKS)
      const verified = await client.verify.chip({
        personalId: holder.personalId,
        chipFiles: chipFiles as { sod: Uint8Array; dg1: Uint8Array },
      });
      console.log(
        `Bank demo-bank verifies the chip: ${verified.verified ? 'verified' : 'NOT verified'} (evidence signed by ${verified.keyId})`,
      );
    } finally {
      await sandbox.stop();
    }
    console.log(`Sandbox stopped (${((Date.now() - started) / 1000).toFixed(1)} s).`);
  },
};

/** The browser's trip (a cookie jar, manual redirects) until the provider redirects to `redirectUri`. */
async function followToRedirect(start: string, redirectUri: string): Promise<string> {
  const jar = new Map<string, string>();
  let next = start;
  for (let hops = 0; hops < 10; hops++) {
    if (next.startsWith(redirectUri)) return next;
    const res = await fetch(next, {
      redirect: 'manual',
      headers: jar.size > 0 ? { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } : {},
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      jar.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
    }
    const location = res.headers.get('location');
    await res.arrayBuffer();
    if (res.status < 300 || res.status >= 400 || location === null)
      throw new Error(`demo: the login stopped at HTTP ${res.status}`);
    next = new URL(location, next).href;
  }
  throw new Error('demo: too many redirects');
}
