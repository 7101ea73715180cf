/**
 * readCard end to end on a software chip whose DG2 is laid out as other documents' writers do
 * it: an ISO/IEC 19794-5:2011 (030) record, and a DG2 with long-form lengths and slack after the
 * biometric data block (emulator options faceRecordVersion / rewriteDg2; EF.SOD hashes the
 * file as served). The face must come back byte for byte, the DG2 hash must match, and what was
 * tolerated must be listed in files.dg2.warnings.
 */
import { concatBytes, equalBytes } from '@vneid/core/bytes';
import { decodeTlv, encodeTag, type Tlv } from '@vneid/core/tlv';
import { describe, expect, it } from 'vitest';
import { createCardFiles, createEmulatedCard, createSyntheticPerson } from '../../src/emulator/index.ts';
import { readCard } from '../../src/index.ts';
import { createTrustStore, type PassiveReport } from '../../src/pa/index.ts';

/** One TLV with its length in the 3-octet long form `83 xx xx xx`. */
const L = (tag: number, value: Uint8Array): Uint8Array =>
  concatBytes(
    encodeTag(tag),
    Uint8Array.of(0x83, (value.length >> 16) & 0xff, (value.length >> 8) & 0xff, value.length & 0xff),
    value,
  );

/** Every length of a tree in that long form. */
const longForm = (node: Tlv): Uint8Array =>
  L(node.tag, node.children === undefined ? node.value : concatBytes(...node.children.map(longForm)));

/** Long-form lengths everywhere and 4 zero bytes after the biometric data block inside 7F60. */
function relaxedDg2(dg2: Uint8Array): Uint8Array {
  const group = decodeTlv(dg2).children![0]!;
  const [count, template] = group.children as [Tlv, Tlv];
  const t = L(0x7f60, concatBytes(...template.children!.map(longForm), new Uint8Array(4)));
  return L(0x75, L(0x7f61, concatBytes(longForm(count), t)));
}

describe('readCard with DG2 variants real documents carry', () => {
  it('a 19794-5:2011 (030) face record: the JPEG byte for byte, DG2 hash matches', async () => {
    const person = createSyntheticPerson(23);
    const files = await createCardFiles(person, { faceRecordVersion: '030' });
    expect(
      String.fromCharCode(...files.dataGroups.get(2)!.subarray(0, 64)).includes('FAC\u0000030\u0000'),
    ).toBe(true);
    const trustStore = createTrustStore({ certificates: [files.trust.csca] });
    const r = await readCard(createEmulatedCard(files), {
      idNumber: person.idNumber,
      authenticate: { passive: trustStore },
    });
    expect(r.parseErrors).toEqual([]);
    const face = r.files.dg2!.faces[0]!;
    expect(equalBytes(face.image, person.face.jpeg)).toBe(true);
    expect(face.header.version).toBe('030');
    expect([face.width, face.height]).toEqual([person.face.width, person.face.height]);
    expect(r.files.dg2!.warnings).toEqual([]);
    const pa = r.verification?.passive as PassiveReport;
    expect(pa.dataGroups.find((d) => d.dataGroup === 2)?.status).toBe('match');
  });

  it('long-form lengths and slack after 5F2E: accepted, reported, DG2 hash matches', async () => {
    const person = createSyntheticPerson(24);
    const files = await createCardFiles(person, { rewriteDg2: relaxedDg2 });
    const served = files.dataGroups.get(2)!;
    expect(() => decodeTlv(served)).toThrow();
    const trustStore = createTrustStore({ certificates: [files.trust.csca] });
    const r = await readCard(createEmulatedCard(files), {
      idNumber: person.idNumber,
      authenticate: { passive: trustStore },
    });
    expect(r.parseErrors).toEqual([]);
    expect(equalBytes(r.raw[2] as Uint8Array, served)).toBe(true);
    expect(equalBytes(r.files.dg2!.faces[0]!.image, person.face.jpeg)).toBe(true);
    const codes = r.files.dg2!.warnings.map((w) => w.code);
    expect(codes.filter((c) => c === 'LDS_BIOMETRIC_SLACK')).toHaveLength(1);
    expect(codes.filter((c) => c === 'LDS_NON_MINIMAL_LENGTH').length).toBeGreaterThan(4);
    const pa = r.verification?.passive as PassiveReport;
    expect(pa.dataGroups.find((d) => d.dataGroup === 2)?.status).toBe('match');
  });
});
