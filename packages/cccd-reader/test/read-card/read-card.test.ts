import { equalBytes } from '@vneid/core/bytes';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type CardFiles,
  type CardFilesOptions,
  createCardFiles,
  createEmulatedCard,
  createSyntheticPerson,
  type SyntheticPerson,
} from '../../src/emulator/index.ts';
import { AccessDeniedError, type ReadCardProgressEvent, ReaderError, readCard } from '../../src/index.ts';
import { createTrustStore, type PassiveReport } from '../../src/pa/index.ts';
import type { ApduTransport } from '../../src/transport/index.ts';

const ALL = ['COM', 'SOD', 'DG1', 'DG2', 'DG3', 'DG13', 'DG14', 'DG15'] as const;

interface Fixture {
  person: SyntheticPerson;
  files: CardFiles;
}

async function fixture(seed: number, options: CardFilesOptions = {}): Promise<Fixture> {
  const person = createSyntheticPerson(seed);
  return { person, files: await createCardFiles(person, options) };
}

const keys = (p: SyntheticPerson) => ({
  idNumber: p.idNumber,
  dateOfBirth: p.dateOfBirth,
  dateOfExpiry: p.dateOfExpiry,
});

async function codeOf(p: Promise<unknown>): Promise<ReaderError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ReaderError);
  return e as ReaderError;
}

/** Every file read equals the chip's bytes. */
function expectSameFiles(
  raw: Record<string | number, Uint8Array | undefined>,
  files: CardFiles,
  dgs: number[],
): void {
  expect(equalBytes(raw.com as Uint8Array, files.com)).toBe(true);
  expect(equalBytes(raw.sod as Uint8Array, files.sod)).toBe(true);
  for (const dg of dgs)
    expect(equalBytes(raw[dg] as Uint8Array, files.dataGroups.get(dg) as Uint8Array)).toBe(true);
}

let cccd: Fixture;
beforeAll(async () => {
  cccd = await fixture(11);
});

describe('readCard over PACE-CAN (a CCCD)', () => {
  it('opens with the last 6 ID digits and reads COM, SOD, DG1, DG2, DG13, DG14, DG15', async () => {
    const card = createEmulatedCard(cccd.files);
    const r = await readCard(card, { idNumber: cccd.person.idNumber });
    expect(r.accessMethod).toBe('PACE-CAN');
    expect(r.accessKey).toBe('CAN');
    expect(r.attempts).toEqual([{ method: 'PACE-CAN', keyForm: 'CAN', ok: true, runs: 1 }]);
    expectSameFiles(r.raw, cccd.files, [1, 2, 13, 14, 15]);
    expect(equalBytes(r.raw.cardAccess as Uint8Array, cccd.files.cardAccess as Uint8Array)).toBe(true);
    expect(r.cardAccess?.infos.some((i) => i.type === 'PACEInfo')).toBe(true);
    expect(r.skipped).toEqual([]);
    expect(r.parseErrors).toEqual([]);
    expect(r.files.dg13?.idNumber).toBe(cccd.person.idNumber);
    expect(r.files.dg13?.fullName).toBe(cccd.person.fullName);
    expect(r.files.dg13?.placeOfResidence).toBe(cccd.person.placeOfResidence);
    expect(r.files.dg1?.mrz.documentNumber).toBeDefined();
    const face = r.files.dg2?.faces[0];
    expect(face?.imageType).toBe('jpeg');
    expect(equalBytes(face?.image as Uint8Array, cccd.person.face.jpeg)).toBe(true);
    expect(r.files.dg14).toBeDefined();
    expect(r.files.dg15?.publicKey.algorithm).toBe('rsa');
    expect(r.verification).toBeUndefined();
    expect(r.reconnects).toBe(0);
    // Never SELECT MF: the iOS quirk card answers it 6D00 and reading still works.
    const ios = createEmulatedCard(cccd.files, { iosQuirk: true });
    expect((await readCard(ios, { idNumber: cccd.person.idNumber })).accessMethod).toBe('PACE-CAN');
  });

  it('skips DG3 (6982, behind EAC) and goes on', async () => {
    const card = createEmulatedCard(cccd.files);
    const r = await readCard(card, { idNumber: cccd.person.idNumber, files: ALL });
    expect(r.skipped).toEqual([{ file: 'DG3', reason: 'SECURITY_STATUS_NOT_SATISFIED' }]);
    expect(r.raw[3]).toBeUndefined();
    expectSameFiles(r.raw, cccd.files, [1, 2, 13, 14, 15]);
  });

  it('emits monotonic progress events per file ending at totalBytes', async () => {
    const card = createEmulatedCard(cccd.files);
    const events: ReadCardProgressEvent[] = [];
    const r = await readCard(card, { idNumber: cccd.person.idNumber, onProgress: (e) => events.push(e) });
    const byFile = new Map<string, ReadCardProgressEvent[]>();
    for (const e of events) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
    expect([...byFile.keys()]).toEqual(['COM', 'SOD', 'DG1', 'DG2', 'DG13', 'DG14', 'DG15']);
    for (const [file, list] of byFile) {
      for (let i = 1; i < list.length; i++) {
        expect(list[i]?.bytesRead).toBeGreaterThan(list[i - 1]?.bytesRead as number);
      }
      const last = list.at(-1) as ReadCardProgressEvent;
      expect(last.bytesRead).toBe(last.totalBytes);
      const key = file === 'COM' ? 'com' : file === 'SOD' ? 'sod' : Number(file.slice(2));
      expect(last.totalBytes).toBe(r.raw[key]?.length);
    }
    expect((byFile.get('DG2') ?? []).length).toBeGreaterThan(10);
  });

  it('uses extended length when the chip takes it: far fewer APDUs', async () => {
    const short = createEmulatedCard(cccd.files);
    await readCard(short, { idNumber: cccd.person.idNumber });
    const ext = createEmulatedCard(cccd.files, { extendedLength: true });
    const r = await readCard(ext, { idNumber: cccd.person.idNumber });
    expectSameFiles(r.raw, cccd.files, [1, 2, 13, 14, 15]);
    expect(ext.stats.apdus).toBeLessThan(short.stats.apdus - 40);
  });

  it('a chip with a small max Le is read with smaller chunks', async () => {
    const card = createEmulatedCard(cccd.files, { maxLe: 0x70 });
    const r = await readCard(card, { idNumber: cccd.person.idNumber });
    expectSameFiles(r.raw, cccd.files, [1, 2, 13, 14, 15]);
    const exact = createEmulatedCard(cccd.files, { maxLe: 0x70, leErrorStyle: 'exact-length' });
    expectSameFiles((await readCard(exact, { idNumber: cccd.person.idNumber })).raw, cccd.files, [2]);
    // Extended Le answered 6CE0 (224), whose short retry under AES SM is answered 6CDF (223).
    const chained = createEmulatedCard(cccd.files, {
      extendedLength: true,
      maxLe: 224,
      leErrorStyle: 'exact-length',
    });
    expectSameFiles(
      (await readCard(chained, { idNumber: cccd.person.idNumber })).raw,
      cccd.files,
      [1, 2, 13],
    );
    const eof = createEmulatedCard(cccd.files, { endOfFileSw: 0x6282 });
    expectSameFiles((await readCard(eof, { idNumber: cccd.person.idNumber })).raw, cccd.files, [1, 2]);
  });

  it('a wrong ID and no dates: ACCESS_DENIED listing the PACE-CAN attempt, no secrets', async () => {
    const card = createEmulatedCard(cccd.files);
    const other = createSyntheticPerson(12).idNumber;
    const e = await codeOf(readCard(card, { idNumber: other }));
    expect(e).toBeInstanceOf(AccessDeniedError);
    expect(e.code).toBe('ACCESS_DENIED');
    const attempts = (e as AccessDeniedError).attempts;
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({ method: 'PACE-CAN', ok: false, error: { code: 'PACE_FAILED' } });
    expect(e.message).not.toContain(other.slice(6));
    expect(e.message).not.toContain(cccd.person.can);
  });

  it('aborts with ABORTED', async () => {
    const card = createEmulatedCard(cccd.files);
    const ac = new AbortController();
    const e = await codeOf(
      readCard(card, {
        idNumber: cccd.person.idNumber,
        signal: ac.signal,
        onProgress: (p) => {
          if (p.file === 'DG2' && p.bytesRead > 2000) ac.abort();
        },
      }),
    );
    expect(e.code).toBe('ABORTED');
  });
});

describe('readCard: PACE-MRZ and BAC, 12- and 9-digit forms', () => {
  it('a BAC-only card opens with BAC after the 12-digit key fails (9-digit form)', async () => {
    const f = await fixture(21, { pace: false });
    const card = createEmulatedCard(f.files);
    const dg2Events: number[] = [];
    const r = await readCard(card, {
      ...keys(f.person),
      onProgress: (e) => {
        if (e.file === 'DG2') dg2Events.push(e.bytesRead);
      },
    });
    // 3DES secure messaging: 231-byte chunks fit a short response.
    expect(dg2Events[2]! - dg2Events[1]!).toBe(231);
    expect(r.accessMethod).toBe('BAC');
    expect(r.accessKey).toBe('9-digit');
    expect(r.attempts.map((a) => `${a.method}/${a.keyForm}/${a.ok}`)).toEqual([
      'BAC/12-digit/false',
      'BAC/9-digit/true',
    ]);
    expect(r.cardAccess).toBeUndefined();
    expectSameFiles(r.raw, f.files, [1, 2, 13, 14, 15]);
  });

  it('a BAC-only card keyed with the 12-digit ID opens on the first BAC attempt', async () => {
    const f = await fixture(22, { pace: false, mrzKeyForm: '12-digit' });
    const r = await readCard(createEmulatedCard(f.files), keys(f.person));
    expect(r.attempts.map((a) => `${a.method}/${a.keyForm}/${a.ok}`)).toEqual(['BAC/12-digit/true']);
  });

  it('BAC-only without dates: ACCESS_DENIED with nothing to try', async () => {
    const f = await fixture(23, { pace: false });
    const e = await codeOf(readCard(createEmulatedCard(f.files), { idNumber: f.person.idNumber }));
    expect(e.code).toBe('ACCESS_DENIED');
    expect((e as AccessDeniedError).attempts).toEqual([]);
  });

  it.each(['12-digit', '9-digit'] as const)('PACE-MRZ with the %s form when the CAN fails', async (form) => {
    const f = await fixture(24, { mrzKeyForm: form });
    const files: CardFiles = { ...f.files, access: { ...f.files.access, can: '000000' } };
    const r = await readCard(createEmulatedCard(files), keys(f.person));
    expect(r.accessMethod).toBe('PACE-MRZ');
    expect(r.accessKey).toBe(form);
    const expected =
      form === '12-digit'
        ? ['PACE-CAN/false', 'PACE-MRZ/true']
        : ['PACE-CAN/false', 'PACE-MRZ/false', 'PACE-MRZ/true'];
    expect(r.attempts.map((a) => `${a.method}/${a.ok}`)).toEqual(expected);
    expectSameFiles(r.raw, f.files, [1, 2, 13, 14, 15]);
  });

  it('a given document number is tried first for the MRZ key', async () => {
    const f = await fixture(25);
    const files: CardFiles = { ...f.files, access: { ...f.files.access, can: '000000' } };
    const card = createEmulatedCard(files, { access: 'both' });
    const wrongDob = { ...keys(f.person), documentNumber: f.person.idNumber.slice(3) };
    const r = await readCard(card, wrongDob);
    expect(r.accessMethod).toBe('PACE-MRZ');
    expect(r.accessKey).toBe('document-number');
    expect(r.attempts.map((a) => a.keyForm)).toEqual(['CAN', 'document-number']);
  });

  it('every method failing lists each attempt in order', async () => {
    const f = await fixture(26);
    const e = await codeOf(
      readCard(createEmulatedCard(f.files), {
        idNumber: createSyntheticPerson(27).idNumber,
        dateOfBirth: '1990-01-01',
        dateOfExpiry: '2030-01-01',
      }),
    );
    expect(e.code).toBe('ACCESS_DENIED');
    expect((e as AccessDeniedError).attempts.map((a) => `${a.method}/${a.keyForm}`)).toEqual([
      'PACE-CAN/CAN',
      'PACE-MRZ/12-digit',
      'PACE-MRZ/9-digit',
      'BAC/12-digit',
      'BAC/9-digit',
    ]);
    expect((e as AccessDeniedError).attempts.every((a) => !a.ok && a.error !== undefined)).toBe(true);
  });
});

describe('readCard against chip faults', () => {
  it('a wrong response MAC is SM_MAC_MISMATCH', async () => {
    const card = createEmulatedCard(cccd.files, { faults: { wrongMac: 20 } });
    const e = await codeOf(readCard(card, { idNumber: cccd.person.idNumber }));
    expect(e.code).toBe('SM_MAC_MISMATCH');
  });

  it('a truncated response is a typed secure-messaging error', async () => {
    const card = createEmulatedCard(cccd.files, { faults: { truncatedResponse: 30 } });
    const e = await codeOf(readCard(card, { idNumber: cccd.person.idNumber }));
    expect(['SM_INVALID_RESPONSE', 'SM_MAC_MISMATCH']).toContain(e.code);
  });

  it('a wrong status word on READ BINARY is READ_FAILED with the status word', async () => {
    const card = createEmulatedCard(cccd.files, { faults: { wrongSw: { sw: 0x6581, at: 40 } } });
    const e = await codeOf(readCard(card, { idNumber: cccd.person.idNumber }));
    expect(e.code).toBe('READ_FAILED');
    expect(e.context.sw).toBe(0x6581);
  });

  it('a lost connection mid-DG2 resumes at the same offset after reconnect; bytes equal', async () => {
    const card = createEmulatedCard(cccd.files, {
      faults: { lostConnectionAt: { file: 'DG2', offset: 7000 } },
    });
    const dg2Events: number[] = [];
    const r = await readCard(card, {
      idNumber: cccd.person.idNumber,
      reconnect: async () => {
        card.reconnect();
      },
      onProgress: (e) => {
        if (e.file === 'DG2') dg2Events.push(e.bytesRead);
      },
    });
    expect(r.reconnects).toBe(1);
    expect(card.faults.lostConnectionAt).toBeUndefined();
    expectSameFiles(r.raw, cccd.files, [1, 2, 13, 14, 15]);
    // No restart: DG2 progress never goes back.
    for (let i = 1; i < dg2Events.length; i++)
      expect(dg2Events[i]).toBeGreaterThan(dg2Events[i - 1] as number);
    const dg2 = cccd.files.dataGroups.get(2) as Uint8Array;
    expect(dg2Events.length).toBe(1 + Math.ceil((dg2.length - 6) / 223));
  });

  it('a reconnect may hand over a new transport', async () => {
    const first = createEmulatedCard(cccd.files, {
      faults: { lostConnectionAt: { file: 'DG13', offset: 100 } },
    });
    const second = createEmulatedCard(cccd.files);
    const r = await readCard(first, { idNumber: cccd.person.idNumber, reconnect: async () => second });
    expect(r.reconnects).toBe(1);
    expect(second.stats.apdus).toBeGreaterThan(0);
    expectSameFiles(r.raw, cccd.files, [1, 2, 13, 14, 15]);
  });

  it('without reconnect a lost connection is TRANSPORT_FAILED with file and offset', async () => {
    const card = createEmulatedCard(cccd.files, {
      faults: { lostConnectionAt: { file: 'DG2', offset: 7000 } },
    });
    const e = await codeOf(readCard(card, { idNumber: cccd.person.idNumber }));
    expect(e.code).toBe('TRANSPORT_FAILED');
    expect(e.context.fileId).toBe(0x0102);
    expect(e.context.offset).toBeLessThanOrEqual(7000);
    expect(e.context.offset).toBeGreaterThan(7000 - 223);
  });

  it('a transport throwing plain errors forever: TRANSPORT_FAILED after maxReconnects', async () => {
    const card = createEmulatedCard(cccd.files);
    let reads = 0;
    const flaky: ApduTransport = {
      async transceive(cmd, o) {
        if (cmd[1] === 0xb0 && ++reads > 20) throw new Error('Tag was lost');
        return card.transceive(cmd, o);
      },
    };
    let calls = 0;
    const e = await codeOf(
      readCard(flaky, {
        idNumber: cccd.person.idNumber,
        maxReconnects: 2,
        reconnect: async () => {
          calls++;
          card.reconnect();
        },
      }),
    );
    expect(e.code).toBe('TRANSPORT_FAILED');
    expect(calls).toBe(2);
  });
});

describe('readCard verification', () => {
  it('passive authentication with the test CSCA: every DG hash matches, ok', async () => {
    const card = createEmulatedCard(cccd.files);
    const trustStore = createTrustStore({ certificates: [cccd.files.trust.csca] });
    const r = await readCard(card, { idNumber: cccd.person.idNumber, authenticate: { passive: trustStore } });
    const pa = r.verification?.passive as PassiveReport;
    expect(pa.ok).toBe(true);
    expect(pa.dataGroups.filter((d) => d.status === 'match').map((d) => d.dataGroup)).toEqual([
      1, 2, 13, 14, 15,
    ]);
    expect(pa.country).toMatchObject({ ok: true, expected: 'VN', document: 'VNM' });
    // The data is as issued, but nothing proved the chip is not a copy: not ok, and it says so.
    expect(r.verification?.notChecked).toEqual(['chip-genuineness']);
    expect(r.verification?.failed).toEqual([]);
    expect(r.verification?.genuineBy).toEqual([]);
    expect(r.verification?.ok).toBe(false);
  });

  it('a tampered DG13: passive reports its hash mismatch, verification not ok', async () => {
    const card = createEmulatedCard(cccd.files, { faults: { tamperedDg: 13 } });
    const trustStore = createTrustStore({ certificates: [cccd.files.trust.csca] });
    const r = await readCard(card, { idNumber: cccd.person.idNumber, authenticate: { passive: trustStore } });
    const pa = r.verification?.passive as PassiveReport;
    expect(pa.ok).toBe(false);
    expect(pa.dataGroups.find((d) => d.dataGroup === 13)?.status).toBe('mismatch');
    expect(pa.dataGroups.find((d) => d.dataGroup === 2)?.status).toBe('match');
    expect(r.verification?.ok).toBe(false);
  });

  it('an untrusted CSCA fails passive authentication', async () => {
    const other = await fixture(31, { signer: 'ecdsa-p256' });
    const card = createEmulatedCard(cccd.files);
    const trustStore = createTrustStore({ certificates: [other.files.trust.csca] });
    const r = await readCard(card, { idNumber: cccd.person.idNumber, authenticate: { passive: trustStore } });
    expect(r.verification?.passive?.ok).toBe(false);
    expect(r.verification?.ok).toBe(false);
  });

  it('active authentication with the DG15 RSA key; a cloned chip fails it', async () => {
    const card = createEmulatedCard(cccd.files);
    const r = await readCard(card, { idNumber: cccd.person.idNumber, authenticate: { active: true } });
    expect(r.verification?.active?.ok).toBe(true);
    // AA without passive authentication proves nothing about DG15's key: not ok, passive missing.
    expect(r.verification?.notChecked).toEqual(['passive']);
    expect(r.verification?.ok).toBe(false);
    const trustStore = createTrustStore({ certificates: [cccd.files.trust.csca] });
    const both = await readCard(createEmulatedCard(cccd.files), {
      idNumber: cccd.person.idNumber,
      authenticate: { active: true, passive: trustStore },
    });
    expect(both.verification).toMatchObject({ ok: true, genuineBy: ['AA'], notChecked: [], failed: [] });
    const clone = createEmulatedCard(cccd.files, { faults: { clonedChip: true } });
    const r2 = await readCard(clone, {
      idNumber: cccd.person.idNumber,
      authenticate: { active: true, passive: trustStore },
    });
    expect(r2.verification?.active?.ok).toBe(false);
    expect(r2.verification?.failed.map((f) => `${f.check}:${f.code}`)).toEqual([
      'active:AA_SIGNATURE_INVALID',
    ]);
    expect(r2.verification?.genuineBy).toEqual([]);
    expect(r2.verification?.ok).toBe(false);
  });
});

describe('root entry', () => {
  it('does not import ./pa (pkijs) statically: only a dynamic import in readCard', async () => {
    const { readFileSync } = await import('node:fs');
    const { dirname, resolve } = await import('node:path');
    const { fileURLToPath } = await import('node:url');
    const src = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');
    const seen = new Set<string>();
    const walk = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      // Static value imports and re-exports (type-only ones are erased).
      for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+'(\.[^']+)'/gms)) {
        walk(resolve(dirname(file), m[1] as string));
      }
    };
    walk(resolve(src, 'index.ts'));
    const pa = [...seen].filter((f) => f.includes('/src/pa/') || f.includes('pki-test'));
    expect(pa).toEqual([]);
    expect(seen.size).toBeGreaterThan(20);
    expect(seen.has(resolve(src, 'read-card.ts'))).toBe(true);
    expect(readFileSync(resolve(src, 'read-card.ts'), 'utf8')).toContain("await import('./pa/index.ts')");
  });
});

describe('readCard chip authentication', () => {
  it('CA with the DG14 key before reading; the probe proves the chip; reads continue under the new keys', async () => {
    const card = createEmulatedCard(cccd.files);
    const r = await readCard(card, { idNumber: cccd.person.idNumber, authenticate: { chip: true } });
    const chip = r.verification?.chip;
    expect(chip?.ok).toBe(true);
    expect(chip && 'proven' in chip ? chip.proven : false).toBe(true);
    expect(card.state.chipAuthenticated).toBe(true);
    // CA alone: the DG14 key is not authenticated without passive authentication.
    expect(r.verification).toMatchObject({ ok: false, notChecked: ['passive'], genuineBy: [] });
    expectSameFiles(r.raw, cccd.files, [1, 2, 13, 14, 15]);
  });

  it('a cloned chip fails CA (CLONED_CHIP) and AA; the files are still read, verification not ok', async () => {
    const card = createEmulatedCard(cccd.files, { faults: { clonedChip: true } });
    const trustStore = createTrustStore({ certificates: [cccd.files.trust.csca] });
    const r = await readCard(card, {
      idNumber: cccd.person.idNumber,
      authenticate: { chip: true, active: true, passive: trustStore },
    });
    const chip = r.verification?.chip;
    expect(chip?.ok).toBe(false);
    expect(chip && 'reason' in chip ? chip.reason : undefined).toBe('CLONED_CHIP');
    expect(r.verification?.active?.ok).toBe(false);
    expect(r.verification?.passive?.ok).toBe(true);
    expect(r.verification?.failed.map((f) => `${f.check}:${f.code}`)).toEqual([
      'chip:CLONED_CHIP',
      'active:AA_SIGNATURE_INVALID',
    ]);
    expect(r.verification?.ok).toBe(false);
    expectSameFiles(r.raw, cccd.files, [1, 2, 13, 14, 15]);
  });

  it('all three verifications pass on a genuine chip, also after a lost connection (CA redone)', async () => {
    const card = createEmulatedCard(cccd.files, {
      faults: { lostConnectionAt: { file: 'DG2', offset: 9000 } },
    });
    const trustStore = createTrustStore({ certificates: [cccd.files.trust.csca] });
    const r = await readCard(card, {
      idNumber: cccd.person.idNumber,
      authenticate: { chip: true, active: true, passive: trustStore },
      reconnect: async () => {
        card.reconnect();
      },
    });
    expect(r.reconnects).toBe(1);
    expect(card.state.chipAuthenticated).toBe(true);
    expect(r.verification?.chip?.ok).toBe(true);
    expect(r.verification?.active?.ok).toBe(true);
    expect(r.verification?.passive?.ok).toBe(true);
    expect(r.verification?.genuineBy).toEqual(['CA', 'AA']);
    expect(r.verification?.ok).toBe(true);
    expectSameFiles(r.raw, cccd.files, [1, 2, 13, 14, 15]);
  });

  it('CA over a BAC session (3DES access, AES after CA)', async () => {
    const f = await fixture(41, { pace: false });
    const card = createEmulatedCard(f.files);
    const r = await readCard(card, { ...keys(f.person), authenticate: { chip: true } });
    expect(r.accessMethod).toBe('BAC');
    expect(r.verification?.chip?.ok).toBe(true);
    expectSameFiles(r.raw, f.files, [1, 2, 13, 14, 15]);
  });
});

describe('readCard: inputs, abort and link failures during access', () => {
  it('an invalid ID number or date is INVALID_ARGUMENT before any APDU', async () => {
    const card = createEmulatedCard(cccd.files);
    expect((await codeOf(readCard(card, { idNumber: '12345' }))).code).toBe('INVALID_ARGUMENT');
    const e = await codeOf(
      readCard(card, {
        idNumber: cccd.person.idNumber,
        dateOfBirth: '1990-02-30',
        dateOfExpiry: '2030-01-01',
      }),
    );
    expect(e.code).toBe('INVALID_ARGUMENT');
    for (const files of [false, {}, 'DG1', { length: 1, 0: 'DG1' }]) {
      const refused = await codeOf(readCard(card, { idNumber: cccd.person.idNumber, files: files as never }));
      expect(refused).toBeInstanceOf(ReaderError);
      expect(refused.code).toBe('INVALID_ARGUMENT');
    }
    expect(card.stats.apdus).toBe(0);
  });

  it('aborting during PACE is ABORTED, not ACCESS_DENIED', async () => {
    const card = createEmulatedCard(cccd.files);
    const ac = new AbortController();
    let n = 0;
    const t: ApduTransport = {
      async transceive(cmd, o) {
        if (cmd[1] === 0x86 && ++n === 2) ac.abort();
        return card.transceive(cmd, o);
      },
    };
    const e = await codeOf(readCard(t, { ...keys(cccd.person), signal: ac.signal }));
    expect(e.code).toBe('ABORTED');
    const pre = new AbortController();
    pre.abort();
    expect((await codeOf(readCard(card, { idNumber: cccd.person.idNumber, signal: pre.signal }))).code).toBe(
      'ABORTED',
    );
  });

  it('a link lost during PACE: TRANSPORT_FAILED without reconnect; with it, PACE runs again', async () => {
    const card = createEmulatedCard(cccd.files);
    let drop = true;
    const t: ApduTransport = {
      async transceive(cmd, o) {
        if (cmd[1] === 0x86 && drop) {
          drop = false;
          card.reconnect();
          throw new Error('Tag was lost');
        }
        return card.transceive(cmd, o);
      },
    };
    const e = await codeOf(readCard(t, keys(cccd.person)));
    expect(e.code).toBe('TRANSPORT_FAILED');
    drop = true;
    const r = await readCard(t, { ...keys(cccd.person), reconnect: async () => {} });
    expect(r.reconnects).toBe(1);
    expect(r.attempts).toEqual([{ method: 'PACE-CAN', keyForm: 'CAN', ok: true, runs: 2 }]);
    expectSameFiles(r.raw, cccd.files, [1, 2, 13, 14, 15]);
  });
});

describe('openCardSession (custom flows)', () => {
  it('opens the chip and reads single files; 6982 files come back as skipped', async () => {
    const { openCardSession } = await import('../../src/index.ts');
    const card = createEmulatedCard(cccd.files);
    const s = await openCardSession(card, { idNumber: cccd.person.idNumber });
    expect(s.access).toEqual({ method: 'PACE-CAN', keyForm: 'CAN' });
    const dg1 = await s.readFile(0x0101);
    expect('bytes' in dg1 && equalBytes(dg1.bytes, cccd.files.dataGroups.get(1) as Uint8Array)).toBe(true);
    expect(await s.readFile(0x0103)).toEqual({ skipped: 'SECURITY_STATUS_NOT_SATISFIED' });
    expect(await s.readFile(0x0110)).toEqual({ skipped: 'FILE_NOT_FOUND' });
    expect(s.reader.state.extendedLength).toBe('untested');
  });
});
