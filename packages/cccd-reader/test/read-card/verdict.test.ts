/**
 * One verdict (ICAO Doc 9303 Part 11 §4.4 PACE-CAM, §5.1, §6.1, §6.2): `verification.ok` only
 * when passive authentication passed and CA, CAM or AA proved the chip genuine; PACE-CAM is
 * verified from EF.CardSecurity (its signature by passive authentication, its key against the
 * mapping), so a clone is detected without a separate Chip Authentication; a missing runtime
 * or algorithm is `UNSUPPORTED`, never an access denial or a signature failure.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type CardFiles,
  createCardFiles,
  createEmulatedCard,
  createSyntheticPerson,
  type SyntheticPerson,
} from '../../src/emulator/index.ts';
import { ReaderError, readCard } from '../../src/index.ts';
import { createTrustStore, verifyPassive } from '../../src/pa/index.ts';
import { createTestPki } from '../../src/pki-test/index.ts';
import { verdictOf } from '../../src/verdict.ts';

let person: SyntheticPerson;
let cam: CardFiles;
beforeAll(async () => {
  person = createSyntheticPerson(71);
  cam = await createCardFiles(person, { paceMapping: 'CAM', signer: 'ecdsa-p256' });
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('PACE-CAM', () => {
  it('a genuine CAM chip: EF.CardSecurity verifies, its key matches the mapping, genuine by CAM, ok', async () => {
    const trustStore = createTrustStore({ certificates: [cam.trust.csca] });
    const r = await readCard(createEmulatedCard(cam), {
      idNumber: person.idNumber,
      authenticate: { passive: trustStore },
    });
    const v = r.verification;
    expect(v?.passive?.ok).toBe(true);
    expect(v?.cam).toMatchObject({
      ok: true,
      cardSecurity: { ok: true, contentType: '0.4.0.127.0.7.3.2.1' },
    });
    expect(v).toMatchObject({ ok: true, genuineBy: ['CAM'], notChecked: [], failed: [] });
  });

  it('a cloned CAM chip (another static key than EF.CardSecurity’s): CAM_MISMATCH, not ok', async () => {
    const trustStore = createTrustStore({ certificates: [cam.trust.csca] });
    const r = await readCard(createEmulatedCard(cam, { faults: { clonedChip: true } }), {
      idNumber: person.idNumber,
      authenticate: { passive: trustStore },
    });
    expect(r.verification?.passive?.ok).toBe(true);
    expect(r.verification?.cam).toMatchObject({
      ok: false,
      reason: 'CAM_MISMATCH',
      cardSecurity: { ok: true },
    });
    expect(r.verification?.failed).toEqual([{ check: 'cam', code: 'CAM_MISMATCH' }]);
    expect(r.verification?.genuineBy).toEqual([]);
    expect(r.verification?.ok).toBe(false);
  });

  it('EF.CardSecurity from an untrusted signer does not prove the chip: CARD_SECURITY_INVALID', async () => {
    const other = await createTestPki({ algorithm: 'ecdsa-p256' });
    const trustStore = createTrustStore({ certificates: [other.csca.certificate] });
    const r = await readCard(createEmulatedCard(cam), {
      idNumber: person.idNumber,
      authenticate: { passive: trustStore },
    });
    expect(r.verification?.cam).toMatchObject({ ok: false, reason: 'CARD_SECURITY_INVALID' });
    expect(r.verification?.failed.map((f) => `${f.check}:${f.code}`)).toEqual([
      'passive:CHAIN_FAILED',
      'cam:CARD_SECURITY_INVALID',
    ]);
    expect(r.verification?.ok).toBe(false);
  });
});

describe('UNSUPPORTED, never a misleading answer', () => {
  it('without WebCrypto getRandomValues (and no options.random): ReaderError UNSUPPORTED, not ACCESS_DENIED', async () => {
    const card = createEmulatedCard(cam);
    vi.stubGlobal('crypto', undefined);
    const error = await readCard(card, { idNumber: person.idNumber }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ReaderError);
    expect((error as ReaderError).code).toBe('UNSUPPORTED');
  });

  it('an unsupported signature algorithm in EF.SOD: failed UNSUPPORTED, not SIGNATURE_INVALID', async () => {
    const sod = cam.sod.slice();
    // ecdsa-with-SHA256 (…04 03 02) in the SignerInfo (unsigned) → an OID no verifier knows.
    const oid = [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02];
    let at = -1;
    for (let i = 0; i + oid.length <= sod.length; i++) if (oid.every((b, j) => sod[i + j] === b)) at = i;
    expect(at).toBeGreaterThan(0);
    sod[at + oid.length - 1] = 0x7f;
    const trustStore = createTrustStore({ certificates: [cam.trust.csca] });
    const passive = await verifyPassive({ sod, files: cam.dataGroups }, { trustStore });
    expect(passive.signature.reason).toBe('unsupported-algorithm');
    const v = verdictOf({ passive });
    expect(v.failed).toEqual([{ check: 'passive', code: 'UNSUPPORTED', reason: 'unsupported-algorithm' }]);
    expect(v.notChecked).toEqual(['chip-genuineness']);
    expect(v.ok).toBe(false);
  });
});
