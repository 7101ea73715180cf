/**
 * @module
 * Demo section: read a software CCCD chip (a synthetic person, never a real one) with
 * `readCard` over PACE-CAN, with a text progress bar; print the access method that worked,
 * the DG13 fields and a verification summary (passive authentication against the chip's test
 * CSCA, Active Authentication, Chip Authentication), and write the face image
 * to `out/face.jpg`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createCardFiles,
  createEmulatedCard,
  createSyntheticPerson,
} from '../../packages/cccd-reader/src/emulator/index.ts';
import {
  DEFAULT_CARD_FILES,
  type ReadCardAuthenticate,
  type ReadCardProgressEvent,
  type ReadCardResult,
  readCard,
} from '../../packages/cccd-reader/src/index.ts';
import { createTrustStore, type PassiveReport } from '../../packages/cccd-reader/src/pa/index.ts';
import type { DemoSection } from './sections.ts';

const BAR = 28;

function progressPrinter(): { onProgress(e: ReadCardProgressEvent): void; done(): void } {
  const tty = process.stdout.isTTY === true;
  let current: string | undefined;
  let last: ReadCardProgressEvent | undefined;
  const line = (e: ReadCardProgressEvent): string => {
    const filled = e.totalBytes === 0 ? BAR : Math.round((e.bytesRead / e.totalBytes) * BAR);
    const pct = e.totalBytes === 0 ? 100 : Math.floor((e.bytesRead / e.totalBytes) * 100);
    return `  ${e.file.padEnd(5)} [${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] ${String(pct).padStart(3)}%  ${e.bytesRead}/${e.totalBytes} B`;
  };
  const finish = (): void => {
    if (last === undefined) return;
    if (tty) process.stdout.write(`\r${line(last)}\n`);
    else console.log(line(last));
  };
  return {
    onProgress(e) {
      if (current !== e.file) {
        finish();
        current = e.file;
      }
      last = e;
      if (tty) process.stdout.write(`\r${line(e)}`);
    },
    done: finish,
  };
}

function printVerification(r: ReadCardResult): void {
  const v = r.verification;
  if (v === undefined) return;
  console.log('Verification:');
  const pa = v.passive;
  if (pa !== undefined) {
    if ('error' in pa) console.log(`  PA  failed to run: ${pa.error.code}`);
    else {
      const report = pa as PassiveReport;
      const dgs = report.dataGroups.map((d) => `DG${d.dataGroup} ${d.status}`).join(', ');
      console.log(
        `  PA  ${report.ok ? 'OK' : 'FAILED'} — SOD signature ${report.signature.ok ? 'valid' : 'invalid'} (${report.signature.algorithm}), chain ${report.chain.ok ? 'to the test CSCA' : 'broken'}; ${dgs}`,
      );
    }
  }
  const aa = v.active;
  if (aa !== undefined) {
    if ('error' in aa) console.log(`  AA  failed to run: ${aa.error.code}`);
    else
      console.log(`  AA  ${aa.ok ? 'OK' : 'FAILED'} — ${aa.algorithm} ${aa.keyBits}-bit, ${aa.hash ?? '?'}`);
  }
  const ca = v.chip;
  if (ca !== undefined) {
    if ('error' in ca) console.log(`  CA  failed to run: ${ca.error.code}`);
    else
      console.log(
        `  CA  ${ca.ok ? 'OK' : `FAILED (${ca.reason ?? 'no reason'})`} — ${ca.keyAgreement} ${ca.domainName ?? ''} ${ca.cipher.toUpperCase()}-${ca.keyBits}, ${ca.proven ? 'the chip answered under the new keys' : 'not proven'}`,
      );
  }
  console.log(`  overall: ${v.ok ? 'every check passed' : 'NOT verified'}`);
}

export const cardDemo: DemoSection = {
  title: 'CCCD chip: read a software chip over PACE-CAN, DG13, face image, verification',
  async run(): Promise<void> {
    const person = createSyntheticPerson(20_240_701);
    const files = await createCardFiles(person);
    const card = createEmulatedCard(files);
    console.log(
      `Software chip of a synthetic person (ID ${person.idNumber}); the CAN is the last 6 digits: ${person.can}`,
    );
    const trustStore = createTrustStore({ certificates: [files.trust.csca] });
    const authenticate: ReadCardAuthenticate = { passive: trustStore, active: true, chip: true };
    const bar = progressPrinter();
    const t0 = performance.now();
    const r = await readCard(card, {
      idNumber: person.idNumber,
      dateOfBirth: person.dateOfBirth,
      dateOfExpiry: person.dateOfExpiry,
      files: [...DEFAULT_CARD_FILES, 'DG3'],
      onProgress: (e) => bar.onProgress(e),
      authenticate,
    });
    bar.done();
    const ms = performance.now() - t0;
    console.log(
      `Access: ${r.accessMethod} (${r.accessKey}) — attempts: ${r.attempts.map((a) => `${a.method}/${a.keyForm} ${a.ok ? 'ok' : 'failed'}`).join(', ')}`,
    );
    console.log(
      `Read in ${ms.toFixed(0)} ms: ${card.stats.apdus} APDUs, ${card.stats.bytesIn} bytes to the chip, ${card.stats.bytesOut} bytes back`,
    );
    for (const s of r.skipped) console.log(`Skipped ${s.file}: ${s.reason} (needs Extended Access Control)`);
    for (const p of r.parseErrors) console.log(`Could not parse ${p.file}: ${p.code}`);

    const dg13 = r.files.dg13;
    if (dg13 !== undefined) {
      console.log('DG13 (Vietnamese personal data):');
      const rows: Array<[string, string | null | undefined]> = [
        ['1 ID number', dg13.idNumber],
        ['2 full name', dg13.fullName],
        ['3 date of birth', dg13.dateOfBirth],
        ['4 sex', dg13.sex],
        ['5 nationality', dg13.nationality],
        ['6 ethnicity', dg13.ethnicity],
        ['7 religion', dg13.religion],
        ['8 place of origin', dg13.placeOfOrigin],
        ['9 residence', dg13.placeOfResidence],
        ['10 marks', dg13.identifyingMarks],
        ['11 issue date', dg13.issueDate],
        ['12 expiry', dg13.expiryDate],
        ['13 father', dg13.fatherName],
        ['13 mother', dg13.motherName],
        ['14 spouse', dg13.spouseName === null ? '(none)' : dg13.spouseName],
        ['15 old CMND', dg13.oldIdNumber],
        ['16 code', dg13.unknown16],
      ];
      for (const [k, v] of rows) if (v !== undefined) console.log(`  ${k.padEnd(18)} ${v ?? '(empty)'}`);
    }
    const dg1 = r.files.dg1;
    if (dg1 !== undefined) console.log(`DG1 MRZ document number ${dg1.mrz.documentNumber}`);

    const face = r.files.dg2?.faces[0];
    if (face !== undefined) {
      const path = fileURLToPath(new URL('../../out/face.jpg', import.meta.url));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, face.image);
      console.log(
        `Face: ${face.imageType} ${face.width ?? '?'}×${face.height ?? '?'}, ${face.image.length} bytes → ${path}`,
      );
    }
    printVerification(r);
  },
};
