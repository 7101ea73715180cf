/**
 * Real CSCA master lists (BSI, Dutch NPKD) and link certificates: too large to keep beside the
 * project, so read from VNEID_MASTER_LIST_DIR when set (a checkout of gmrtd's cms/master_list);
 * skipped with a visible message otherwise. Expected facts: vectors/pa.json (id master-lists).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { interopSamplesDir, loadVectors } from '../../../../test/support/vectors.ts';
import { certificateSignedBy } from '../../src/pa/certificate.ts';
import { createTrustStore, parseCertificates, verifySecurityObject } from '../../src/pa/index.ts';
import { mayHaveIssued } from '../../src/pa/trust-store.ts';

interface MasterListVector {
  id: string;
  masterLists: Array<{
    file: string;
    sha256: string;
    masterListSigner: string;
    certificateCount: number;
    signatureAlgorithm: string;
    signer: string;
    trustedBy: string;
  }>;
  cardSecurityWithGermanMasterList: { file: string; ok: boolean; anchor: string; anchorSource: string };
  linkCertificates: Array<{
    file: string;
    sha256: string;
    issuerFile: string;
    issuerSha256: string;
    subject: string;
    issuer: string;
  }>;
}

const vector = loadVectors<MasterListVector>(import.meta.url, 'pa').vectors.find(
  (v) => v.id === 'master-lists',
) as MasterListVector;
const mlDir = process.env.VNEID_MASTER_LIST_DIR ?? null;
const interop = interopSamplesDir();
const usable =
  mlDir !== null && interop !== null && vector.masterLists.every((m) => existsSync(join(mlDir, m.file)));
if (!usable)
  console.warn(
    'VNEID_MASTER_LIST_DIR not set (or files / interop samples absent): real master-list tests skipped',
  );

const readChecked = (dir: string, file: string, sha256: string): Uint8Array => {
  const bytes = new Uint8Array(readFileSync(join(dir, file)));
  expect(createHash('sha256').update(bytes).digest('hex')).toBe(sha256);
  return bytes;
};
const interopFile = (ref: string): Uint8Array =>
  new Uint8Array(readFileSync(join(interop as string, ref.replace(/^interop /, ''))));

describe.skipIf(!usable)('real master lists', () => {
  it('verifies the BSI and Dutch master lists against their CSCAs and uses them', async () => {
    const dir = mlDir as string;
    const trustStore = createTrustStore({
      masterLists: vector.masterLists.map((m) => readChecked(dir, m.file, m.sha256)),
      masterListSigners: vector.masterLists.map((m) => interopFile(m.masterListSigner)),
    });
    vector.masterLists.forEach((m, i) => {
      expect(trustStore.masterLists[i]).toMatchObject({
        certificateCount: m.certificateCount,
        signature: { ok: true, algorithm: m.signatureAlgorithm },
        signer: m.signer,
        signerTrusted: true,
        trustedBy: m.trustedBy,
      });
    });
    const expected = vector.cardSecurityWithGermanMasterList;
    const r = await verifySecurityObject(interopFile(expected.file), {
      trustStore,
      now: new Date('2026-11-22T00:00:00Z'),
    });
    expect(r.ok).toBe(expected.ok);
    expect(r.chain).toMatchObject({ ok: true, anchor: expected.anchor, anchorSource: expected.anchorSource });
  });

  it('without a trusted master-list signer the lists are reported and not used', () => {
    const m = vector.masterLists[0];
    if (!m) throw new Error('vector');
    const s = createTrustStore({ masterLists: [readChecked(mlDir as string, m.file, m.sha256)] });
    expect(s.masterLists[0]).toMatchObject({ signerTrusted: false, added: 0, signature: { ok: true } });
    expect(s.anchors).toHaveLength(0);
  });

  it('links a CSCA link certificate to its issuer despite reversed RDN order', () => {
    for (const l of vector.linkCertificates) {
      const [link] = parseCertificates(readChecked(mlDir as string, l.file, l.sha256));
      const [issuer] = parseCertificates(readChecked(mlDir as string, l.issuerFile, l.issuerSha256));
      if (!link || !issuer) throw new Error('parse');
      expect(link.subject.text).toBe(l.subject);
      expect(link.issuer.text).toBe(l.issuer);
      expect(issuer.subject.key).toBe(link.issuer.key);
      expect(mayHaveIssued(issuer, link)).toBe(true);
      expect(certificateSignedBy(link, issuer)).toEqual({ ok: true });
    }
  });
});
