import { createHash } from 'node:crypto';
import { parseDg1 } from '@vneid/cccd-reader/lds';
import { createTrustStore, verifyPassive } from '@vneid/cccd-reader/pa';
import { compactVerify, createLocalJWKSet, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, store, type TestSandbox } from '../support/sandbox.ts';
import { badChip, chipHolder, signedCall } from './support.ts';

let sandbox: TestSandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(() => sandbox?.stop());

const b64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));

async function chipOf(personalId: string) {
  const res = await sandbox.call('GET', `/__sandbox/chips/${personalId}`);
  expect(res.status).toBe(200);
  return res.body as { files: Record<string, string>; can: string };
}

describe(`chip verification (${store})`, () => {
  it('serves the sandbox CSCA as PEM, the same across a reset, and a seeded chip that verifies against it', async () => {
    const csca = await sandbox.call('GET', '/__sandbox/csca');
    expect(csca.status).toBe(200);
    expect(csca.headers.get('content-type')).toBe('application/x-pem-file');
    expect(csca.body).toMatch(/^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n$/);
    const holder = chipHolder();
    const chip = await chipOf(holder.personalId);
    expect(Object.keys(chip.files).sort()).toEqual(['com', 'dg1', 'dg13', 'dg14', 'dg15', 'dg2', 'sod']);
    expect(chip.can).toBe(holder.personalId.slice(-6));
    // An outside verifier (the library itself, with only the PEM) accepts the chip.
    const report = await verifyPassive(
      {
        sod: b64(chip.files['sod']!),
        files: { 1: b64(chip.files['dg1']!), 2: b64(chip.files['dg2']!), 13: b64(chip.files['dg13']!) },
      },
      { trustStore: createTrustStore({ certificates: [csca.body] }) },
    );
    expect(report.ok).toBe(true);
    expect(parseDg1(b64(chip.files['dg1']!)).mrz.vietnam?.idNumber).toBe(holder.personalId);
    expect((await sandbox.call('POST', '/__sandbox/reset')).status).toBe(204);
    expect((await sandbox.call('GET', '/__sandbox/csca')).body).toBe(csca.body);
    // Chips are derived data (remade after a reset, with new chip keys) signed by the same PKI.
    const again = await chipOf(holder.personalId);
    const after = await signedCall(sandbox, 'POST', '/v1/verifications/chip', {
      personalId: holder.personalId,
      chipFiles: again.files,
    });
    expect(after.answer.body.verified).toBe(true);
  });

  it('answers not_found for an unknown personal ID and invalid_request for a malformed one', async () => {
    expect((await sandbox.call('GET', '/__sandbox/chips/000000000000')).body.code).toBe('not_found');
    expect((await sandbox.call('GET', '/__sandbox/chips/12ab')).body.code).toBe('invalid_request');
  });

  it('verifies a seeded chip for a bank: verified, every check ok, evidence JWS signed with a key of the served JWKS', async () => {
    const holder = chipHolder();
    const chip = await chipOf(holder.personalId);
    const { answer } = await signedCall(sandbox, 'POST', '/v1/verifications/chip', {
      personalId: holder.personalId,
      chipFiles: chip.files,
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ verified: true, requestId: expect.any(String) });
    expect(answer.body.failure).toBeUndefined();
    for (const check of [
      'encoding',
      'sodSignature',
      'certificateChain',
      'certificateValidity',
      'dg1',
      'dg2',
      'dg13',
      'dg14',
      'dg15',
      'com',
      'dataConsistency',
      'personalIdMatch',
    ])
      expect(answer.body.checks[check], check).toBe('ok');

    const jwks = await sandbox.call('GET', '/v1/jwks');
    expect(jwks.status).toBe(200);
    const header = decodeProtectedHeader(answer.body.evidence);
    expect(header).toMatchObject({ alg: 'ES256', typ: 'vneid-chip-verification+jwt' });
    expect(jwks.body.keys.map((k: { kid: string }) => k.kid)).toContain(header.kid);
    // The same keys as the OpenID Provider publishes.
    const discovery = await sandbox.call('GET', '/.well-known/openid-configuration');
    const oidcJwks = await fetch(discovery.body.jwks_uri).then((r) => r.json());
    expect(oidcJwks.keys.map((k: { kid: string }) => k.kid)).toContain(header.kid);
    const { payload } = await compactVerify(answer.body.evidence, createLocalJWKSet(oidcJwks));
    const claims = JSON.parse(new TextDecoder().decode(payload));
    expect(claims).toEqual({
      iss: sandbox.url,
      aud: 'demo-bank',
      requestId: answer.body.requestId,
      personalIdHash: createHash('sha256').update(holder.personalId).digest('hex'),
      verified: true,
      checks: answer.body.checks,
      iat: expect.any(Number),
    });
    // A changed payload does not verify.
    const [h, , s] = answer.body.evidence.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, verified: false })).toString('base64url')}.${s}`;
    await expect(compactVerify(forged, createLocalJWKSet(jwks.body))).rejects.toThrow();
    // Recorded, with the ID hashed, not in clear.
    const { rows } = await sandbox.db.query<{
      verified: boolean;
      personal_id_hash: string;
      partner_code: string;
    }>('SELECT verified, personal_id_hash, partner_code FROM chip_verifications WHERE id = $1', [
      answer.body.requestId,
    ]);
    expect(rows).toEqual([
      { verified: true, personal_id_hash: claims.personalIdHash, partner_code: 'demo-bank' },
    ]);
  });

  it('the bad_signature chip is verified: false with sodSignature failed (not an error), and so is a chip of another ID', async () => {
    const bad = badChip();
    const chip = await chipOf(bad.personalId);
    const { answer } = await signedCall(sandbox, 'POST', '/v1/verifications/chip', {
      personalId: bad.personalId,
      chipFiles: chip.files,
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ verified: false, failure: 'signature_invalid' });
    expect(answer.body.checks).toMatchObject({
      sodSignature: 'failed',
      certificateChain: 'ok',
      dg1: 'ok',
      personalIdMatch: 'absent',
    });
    const { payload } = await compactVerify(
      answer.body.evidence,
      createLocalJWKSet((await sandbox.call('GET', '/v1/jwks')).body),
    );
    expect(JSON.parse(new TextDecoder().decode(payload)).verified).toBe(false);

    const holder = await chipOf(chipHolder().personalId);
    const other = await signedCall(sandbox, 'POST', '/v1/verifications/chip', {
      personalId: bad.personalId,
      chipFiles: holder.files,
    });
    expect(other.answer.body).toMatchObject({ verified: false, failure: 'personal_id_mismatch' });
    expect(other.answer.body.checks).toMatchObject({ sodSignature: 'ok', personalIdMatch: 'failed' });
  });

  it('a tampered DG1 and a DG13 of another card do not verify', async () => {
    const holder = chipHolder();
    const chip = await chipOf(holder.personalId);
    const dg1 = b64(chip.files['dg1']!);
    // One MRZ character changed (inside the name field): still a parsable DG1, different hash.
    dg1[dg1.length - 3] = dg1[dg1.length - 3] === 0x41 ? 0x42 : 0x41;
    const tampered = await signedCall(sandbox, 'POST', '/v1/verifications/chip', {
      personalId: holder.personalId,
      chipFiles: { ...chip.files, dg1: Buffer.from(dg1).toString('base64') },
    });
    expect(tampered.answer.status).toBe(200);
    expect(tampered.answer.body).toMatchObject({ verified: false, failure: 'data_group_mismatch' });
    expect(tampered.answer.body.checks).toMatchObject({ sodSignature: 'ok', dg1: 'failed', dg13: 'ok' });

    const otherChip = await chipOf(badChip().personalId);
    const swapped = await signedCall(sandbox, 'POST', '/v1/verifications/chip', {
      personalId: holder.personalId,
      chipFiles: { ...chip.files, dg13: otherChip.files['dg13'] },
    });
    expect(swapped.answer.body).toMatchObject({ verified: false, failure: 'data_group_mismatch' });
    expect(swapped.answer.body.checks.dg13).toBe('failed');
  });

  it('hostile input is invalid_request or 413, never a 5xx', async () => {
    const holder = chipHolder();
    const chip = await chipOf(holder.personalId);
    const cases: Array<[string, unknown, number, string]> = [
      ['not base64', { ...chip.files, dg1: 'not base64!!' }, 400, 'invalid_request'],
      ['non-canonical base64', { ...chip.files, dg1: 'AB==' }, 400, 'invalid_request'],
      ['missing sod', { dg1: chip.files['dg1'] }, 400, 'invalid_request'],
      ['unknown file', { ...chip.files, dg3: 'AAAA' }, 400, 'invalid_request'],
      ['number', { ...chip.files, sod: 42 }, 400, 'invalid_request'],
      ['dg2 over its bound', { ...chip.files, dg2: 'A'.repeat(87_388) }, 400, 'invalid_request'],
      ['garbage SOD', { ...chip.files, sod: Buffer.from('garbage!').toString('base64') }, 200, ''],
      ['SOD of zeros', { ...chip.files, sod: Buffer.alloc(3000).toString('base64') }, 200, ''],
    ];
    for (const [name, chipFiles, status, code] of cases) {
      const { answer } = await signedCall(sandbox, 'POST', '/v1/verifications/chip', {
        personalId: holder.personalId,
        chipFiles,
      });
      expect(answer.status, name).toBe(status);
      if (code !== '') expect(answer.body.code, name).toBe(code);
      else expect(answer.body, name).toMatchObject({ verified: false, failure: 'sod_malformed' });
    }
    const big = await signedCall(sandbox, 'POST', '/v1/verifications/chip', {
      personalId: holder.personalId,
      chipFiles: { ...chip.files, dg2: 'A'.repeat(140_000) },
    });
    expect(big.answer.status).toBe(413);
    expect(big.answer.body.code).toBe('payload_too_large');
    const personal = await signedCall(sandbox, 'POST', '/v1/verifications/chip', {
      personalId: '12345',
      chipFiles: chip.files,
    });
    expect(personal.answer.body).toMatchObject({ code: 'invalid_request', pointer: '/personalId' });
  });
});
