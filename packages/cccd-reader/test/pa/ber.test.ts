/**
 * Encodings of EF.SOD. ICAO Doc 9303 Part 10 §4.6.2 requires security objects in DER, and a
 * bank's verifier must not accept malformed evidence: a BER SOD (indefinite lengths, a chunked
 * eContent) is rejected with `SOD_MALFORMED` (rule `der`), and a SignerInfo whose `sid` names no
 * certificate is `signer-certificate-not-found` even when an embedded key would verify. Names
 * written in another RDN order or case still match (they are compared as values).
 */
import * as asn1js from 'asn1js';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTrustStore, verifyPassive } from '../../src/pa/index.ts';
import { createTestPki, encodeLdsSecurityObject, signSod, type TestPki } from '../../src/pki-test/index.ts';

const files = { 1: new Uint8Array([0x61, 0x02, 0x01, 0x02]), 2: new Uint8Array(300).fill(7) };
let pki: TestPki;
let sod: Uint8Array;
beforeAll(async () => {
  pki = await createTestPki({ algorithm: 'rsa-pss' });
  sod = signSod({ ldsSecurityObject: encodeLdsSecurityObject({ dataGroups: files }), pki });
});

const kids = (e: asn1js.AsnType): asn1js.AsnType[] => (e as asn1js.Constructed).valueBlock.value;
const indefinite = (e: asn1js.AsnType): void => {
  (e as asn1js.Constructed).lenBlock.isIndefiniteForm = true;
};

/** Re-encodes EF.SOD with indefinite lengths and a chunked eContent. */
function toBer(der: Uint8Array): Uint8Array {
  const root = asn1js.fromBER(der).result; // 77
  const contentInfo = kids(root)[0] as asn1js.AsnType;
  const explicit0 = kids(contentInfo)[1] as asn1js.AsnType;
  const signedData = kids(explicit0)[0] as asn1js.AsnType;
  const encap = kids(signedData)[2] as asn1js.AsnType;
  const eContentWrapper = kids(encap)[1] as asn1js.AsnType;
  const eContent = kids(eContentWrapper)[0] as asn1js.OctetString;
  const bytes = new Uint8Array(eContent.valueBlock.valueHexView);
  const chunks: asn1js.OctetString[] = [];
  for (let i = 0; i < bytes.length; i += 17)
    chunks.push(new asn1js.OctetString({ valueHex: bytes.subarray(i, i + 17) }));
  const chunked = new asn1js.OctetString({ isConstructed: true, value: chunks });
  chunked.lenBlock.isIndefiniteForm = true;
  (eContentWrapper as asn1js.Constructed).valueBlock.value = [chunked];
  for (const e of [root, contentInfo, explicit0, signedData, encap, eContentWrapper]) indefinite(e);
  return new Uint8Array(root.toBER(false));
}

describe('EF.SOD encodings', () => {
  it('rejects a SOD with indefinite lengths and a chunked eContent: SOD_MALFORMED, rule der', async () => {
    const ber = toBer(sod);
    expect(ber).not.toEqual(sod);
    expect(ber[1]).toBe(0x80); // 77 80 …
    const error = await verifyPassive(
      { sod: ber, files },
      { trustStore: createTrustStore({ certificates: [pki.csca.certificate] }) },
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'SOD_MALFORMED', context: { input: 'sod', rule: 'der' } });
    // The same content in DER verifies.
    const r = await verifyPassive(
      { sod, files },
      { trustStore: createTrustStore({ certificates: [pki.csca.certificate] }) },
    );
    expect(r.ok).toBe(true);
  });

  it('a SignerInfo serial that names no certificate → signer-certificate-not-found, not a key search', async () => {
    // Change the serial number in the SignerInfo's issuerAndSerialNumber (not signed) to another value.
    const serialHex = pki.dsc.serialNumber.toString(16).padStart(16, '0');
    const serial = Uint8Array.from(serialHex.match(/../g) ?? [], (h) => Number.parseInt(h, 16));
    // Last occurrence = the SignerInfo (the first is inside the embedded certificate).
    let at = -1;
    for (let i = 0; i + serial.length <= sod.length; i++)
      if (serial.every((b, j) => sod[i + j] === b)) at = i;
    const bad = sod.slice();
    bad[at + serial.length - 1] = (bad[at + serial.length - 1] as number) ^ 0x01;
    const r = await verifyPassive(
      { sod: bad, files },
      { trustStore: createTrustStore({ certificates: [pki.csca.certificate] }) },
    );
    expect(r.ok).toBe(false);
    expect(r.signature).toMatchObject({ ok: false, reason: 'signer-certificate-not-found' });
    expect(r.chain.reason).toBe('signer-certificate-not-found');
    expect(r.signer).toBeUndefined();
  });

  it('matches a DSC issuer written with another RDN order and case to the CSCA subject', async () => {
    const reordered = await createTestPki({
      algorithm: 'ecdsa-p256',
      omitKeyIdentifiers: true,
      dscIssuerName: 'reversed',
    });
    const s = signSod({ ldsSecurityObject: encodeLdsSecurityObject({ dataGroups: files }), pki: reordered });
    const r = await verifyPassive(
      { sod: s, files },
      { trustStore: createTrustStore({ certificates: [reordered.csca.certificate] }) },
    );
    expect(r.signer?.issuer).toBe('CN=csca test, O=VNeID SDK test PKI, C=VN');
    expect(r.chain.path[1]).toBe('C=VN, O=VNeID SDK test PKI, CN=CSCA TEST');
    expect(r.ok).toBe(true);
  });
});
