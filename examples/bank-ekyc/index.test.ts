import { type RunningSandbox, startSandbox } from '@vneid/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BankBackend,
  type ChipFilesJson,
  type EkycDecision,
  readChipForUpload,
  sandboxCard,
  startBankBackend,
} from './index.ts';

interface Seeded {
  personalId: string;
  chipSeed: number;
  chipFault: string | null;
  state: string;
}

let sandbox: RunningSandbox;
let bank: BankBackend;
let people: Seeded[];
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  bank = await startBankBackend({ issuer: sandbox.url });
  people = ((await (await fetch(`${sandbox.url}/__sandbox/identities`)).json()) as { identities: Seeded[] })
    .identities;
});
afterAll(async () => {
  await bank?.stop();
  await sandbox?.stop();
});

async function upload(
  backend: BankBackend,
  personalId: string,
  files: ChipFilesJson | unknown,
): Promise<{ status: number; body: EkycDecision & { error?: string } }> {
  const res = await fetch(`${backend.url}/ekyc/chip`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ personalId, files }),
  });
  return { status: res.status, body: await res.json() };
}

const read = async (who: Seeded) =>
  readChipForUpload(await sandboxCard(sandbox.url, who.personalId, who.chipSeed), who.personalId);

describe('example: bank eKYC with chip verification', () => {
  it('reads the software chip holder’s card and gets a verified, signed result', async () => {
    const holder = people.find((p) => p.chipSeed === 7)!;
    const files = await read(holder);
    expect(Object.keys(files).sort()).toEqual(['com', 'dg1', 'dg13', 'dg14', 'dg15', 'dg2', 'sod']);
    const { status, body } = await upload(bank, holder.personalId, files);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      verified: true,
      customer: `${holder.personalId.slice(0, 3)}******${holder.personalId.slice(9)}`,
      checks: { sodSignature: 'ok', personalIdMatch: 'ok' },
    });
    // the evidence is a JWS by a key of the issuer's JWKS, about this request
    const [header, payload] = body.evidence
      .split('.')
      .slice(0, 2)
      .map((p) => JSON.parse(Buffer.from(p, 'base64url').toString('utf8')));
    const jwks = (await (await fetch(`${sandbox.url}/v1/jwks`)).json()) as { keys: { kid: string }[] };
    expect(jwks.keys.map((k) => k.kid)).toContain(header.kid);
    expect(body.evidenceKeyId).toBe(header.kid);
    expect(payload).toMatchObject({ aud: 'demo-bank', verified: true, requestId: body.requestId });
    // no full personal ID in what the back end answers or keeps
    expect(JSON.stringify(body)).not.toContain(holder.personalId);
    expect(bank.decisions.at(-1)?.requestId).toBe(body.requestId);
  });

  it('a chip whose EF.SOD signature fails, or another person’s chip, is verified: false', async () => {
    const bad = people.find((p) => p.chipFault === 'bad_signature')!;
    const failed = await upload(bank, bad.personalId, await read(bad));
    expect(failed.status).toBe(200);
    expect(failed.body.verified).toBe(false);
    expect(failed.body.checks.sodSignature).toBe('failed');
    expect(failed.body.failure).toBeTruthy();

    const holder = people.find((p) => p.chipSeed === 7)!;
    const other = people.find((p) => p.state === 'unregistered' && p.chipSeed !== 7 && p.chipFault === null)!;
    const mismatch = await upload(bank, holder.personalId, await read(other));
    expect(mismatch.status).toBe(200);
    expect(mismatch.body.verified).toBe(false);
    expect(mismatch.body.checks).toMatchObject({ sodSignature: 'ok', personalIdMatch: 'failed' });
  });

  it('refuses malformed uploads, a wrong partner secret and evidence that does not verify', async () => {
    const holder = people.find((p) => p.chipSeed === 7)!;
    const files = await read(holder);
    expect((await upload(bank, '12345', files)).status).toBe(400);
    expect((await upload(bank, holder.personalId, { ...files, sod: undefined })).status).toBe(400);
    expect((await upload(bank, holder.personalId, { ...files, dg1: 'not base64!' })).status).toBe(400);
    expect((await upload(bank, holder.personalId, { ...files, dg99: files.dg1 })).status).toBe(400);

    const wrongSecret = await startBankBackend({
      issuer: sandbox.url,
      partner: { code: 'demo-bank', secret: 'not-the-secret' },
    });
    try {
      const e = await upload(wrongSecret, holder.personalId, files);
      expect(e).toMatchObject({ status: 502, body: { error: 'partner_auth_failed' } });
      expect(wrongSecret.decisions).toHaveLength(0);
    } finally {
      await wrongSecret.stop();
    }

    // a man in the middle turns a failing answer into verified: true; the evidence gives it away
    const tampering = await startBankBackend({
      issuer: sandbox.url,
      fetch: (async (url: string, init?: RequestInit) => {
        const res = await fetch(url, init);
        if (!String(url).endsWith('/v1/verifications/chip')) return res;
        const body = (await res.json()) as Record<string, unknown>;
        body['verified'] = true;
        return new Response(JSON.stringify(body), { status: res.status, headers: res.headers });
      }) as typeof fetch,
    });
    try {
      const bad = people.find((p) => p.chipFault === 'bad_signature')!;
      const e = await upload(tampering, bad.personalId, await read(bad));
      expect(e).toMatchObject({ status: 502, body: { error: 'evidence_signature_invalid' } });
      expect(tampering.decisions).toHaveLength(0);
    } finally {
      await tampering.stop();
    }
  });
});
