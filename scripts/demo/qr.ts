/**
 * @module
 * Demo section: the CCCD QR of a synthetic person (never a real person's data) rendered as a
 * camera-like PNG in `out/`, read back and scanned with zxing-wasm, then parsed; the ID
 * number decoded; the chip access-key inputs derived; a password and a passcode checked.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkPasscode, checkPassword } from '../../packages/core/src/credentials/index.ts';
import { decodeIdNumber } from '../../packages/core/src/id-number/index.ts';
import { canFromIdNumber, expectedExpiry, mrzKeyFromId } from '../../packages/core/src/mrz/index.ts';
import { CccdQrError } from '../../packages/core/src/qr/index.ts';
import { scanCccdQr } from '../../packages/core/src/scan/node/index.ts';
import { decodePng, renderQrFrame, syntheticPayload, writePng } from '../../test/support/qr-images.ts';
import type { DemoSection } from './sections.ts';

export const qrDemo: DemoSection = {
  title: 'CCCD QR: scan a camera frame, parse, derive chip keys, check credentials',
  async run(): Promise<void> {
    const payload = syntheticPayload(20_240_701, 'cccd');
    const pngPath = fileURLToPath(new URL('../../out/cccd-qr.png', import.meta.url));
    writePng(
      pngPath,
      renderQrFrame(payload, { seed: 7, rotation: 14, perspective: 0.06, noise: 6, format: 'rgba' }),
    );
    console.log(`Wrote a synthetic person's CCCD QR (a 640×480 camera-like frame) to ${pngPath}`);

    const frame = decodePng(readFileSync(pngPath));
    const t0 = performance.now();
    const result = await scanCccdQr(frame);
    const ms = performance.now() - t0;
    if (result === null) throw new Error('demo: no QR code found in the generated frame');
    console.log(
      `Decoded with ${result.decoder} in ${ms.toFixed(0)} ms (includes loading the wasm from the package)`,
    );
    console.log(`QR text: ${result.text}`);
    if (result.card instanceof CccdQrError) throw result.card;
    const card = result.card;
    console.log('Parsed fields:');
    console.log(`  kind           ${card.kind}`);
    console.log(`  ID number      ${card.idNumber}`);
    console.log(`  old CMND       ${card.oldIdNumber ?? '(none)'}`);
    console.log(`  full name      ${card.fullName}`);
    console.log(`  date of birth  ${card.dateOfBirth}`);
    console.log(`  sex            ${card.sex}`);
    console.log(`  address        ${card.address}`);
    console.log(`  issue date     ${card.issueDate}`);
    console.log(
      `  warnings       ${card.warnings.length === 0 ? '(none)' : card.warnings.map((w) => w.code).join(', ')}`,
    );

    const id = decodeIdNumber(card.idNumber);
    console.log('ID number decoded:');
    console.log(`  region         ${id.region.code} ${id.region.name ?? `(${id.region.kind})`}`);
    console.log(`  sex            ${id.sex}`);
    console.log(`  birth year     ${id.birthYear} (century ${id.century})`);

    // The QR has no expiry date: derive the expected one from the card-expiry rules.
    const expiry = expectedExpiry(card.dateOfBirth, card.issueDate);
    console.log('Chip access keys (the QR is only a hint, never proof of identity):');
    console.log(`  CAN (PACE)     ${canFromIdNumber(card.idNumber)}`);
    console.log(`  expiry used    ${expiry ?? 'none (991231)'} (derived from DOB and issue date)`);
    for (const form of ['12-digit', '9-digit'] as const) {
      const k = mrzKeyFromId(
        { idNumber: card.idNumber, dateOfBirth: card.dateOfBirth, dateOfExpiry: expiry },
        form,
      );
      console.log(`  MRZ key ${form.padEnd(8)} ${k.documentNumber} / ${k.dateOfBirth} / ${k.dateOfExpiry}`);
    }

    console.log('VNeID credential checks:');
    for (const pw of ['matkhau123', 'MatKhau@2024']) {
      const r = checkPassword(pw);
      console.log(
        `  password ${JSON.stringify(pw)}: ${r.ok ? 'ok' : r.violations.map((v) => `${v.code} (${v.message.en} / ${v.message.vi})`).join('; ')}`,
      );
    }
    for (const code of ['12a45', '482915']) {
      const r = checkPasscode(code);
      console.log(
        `  passcode ${JSON.stringify(code)}: ${r.ok ? 'ok' : r.violations.map((v) => `${v.code} (${v.message.en})`).join('; ')}`,
      );
    }
  },
};
