/**
 * eKYC step 1: a customer holds their CCCD / Căn cước card up to the camera. Find the QR code
 * in the frame, parse it, and derive what the app needs next: the chip's access keys (CAN and
 * MRZ key) for the NFC read, and a prefilled form. The QR is a hint, never proof: the chip
 * read with passive authentication is what proves the data (see examples/read-card).
 *
 * Run: `pnpm --dir examples ekyc-qr <image.png>` (an RGBA PNG photo of a card).
 */
import { readFileSync } from 'node:fs';
import { decodeIdNumber } from '@vneid/core/id-number';
import type { MrzKey } from '@vneid/core/mrz';
import { canFromIdNumber, mrzKeyFromId } from '@vneid/core/mrz';
import { scanCccdQr } from '@vneid/core/scan/node';
import { PNG } from 'pngjs';

/** What the onboarding screen needs after the QR step. */
export interface QrOnboarding {
  status: 'ok' | 'no-qr' | 'not-a-cccd';
  /** The reason when status is 'not-a-cccd' (a `CccdQrError` code). */
  reason?: string;
  form?: {
    idNumber: string;
    fullName: string;
    dateOfBirth: string;
    sex: string;
    address: string;
    province: string | null;
  };
  chip?: { can: string; warnings: string[] };
}

/** Scans one RGBA frame and prepares the onboarding form and the chip keys. */
export async function onboardFromFrame(frame: {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
}): Promise<QrOnboarding> {
  const found = await scanCccdQr(frame);
  if (found === null) return { status: 'no-qr' };
  if (found.card instanceof Error) return { status: 'not-a-cccd', reason: found.card.code };
  const card = found.card;
  const id = decodeIdNumber(card.idNumber);
  // The QR has no expiry date; the chip's MRZ key needs it, so ask the user for it (or use PACE-CAN,
  // which needs only the ID number: the card's CAN is its last 6 digits).
  return {
    status: 'ok',
    form: {
      idNumber: card.idNumber,
      fullName: card.fullName,
      dateOfBirth: card.dateOfBirth,
      sex: card.sex,
      address: card.address,
      province: id.region.name,
    },
    chip: {
      can: canFromIdNumber(card.idNumber),
      warnings: card.warnings.map((w) => w.code),
    },
  };
}

/** The MRZ key once the user has typed the expiry date printed on the card. */
export function mrzKeyAfterExpiry(
  form: { idNumber: string; dateOfBirth: string },
  dateOfExpiry: string | null,
): MrzKey {
  return mrzKeyFromId({ idNumber: form.idNumber, dateOfBirth: form.dateOfBirth, dateOfExpiry }, '12-digit');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const path = process.argv[2];
  if (!path) {
    console.error('usage: ekyc-qr <image.png>');
    process.exit(2);
  }
  const png = PNG.sync.read(readFileSync(path));
  const result = await onboardFromFrame({ data: png.data, width: png.width, height: png.height });
  // Personal data goes to the form on screen, never to logs: print only the outcome here.
  console.log(
    result.status,
    result.reason ?? '',
    result.form ? `fields: ${Object.keys(result.form).join(', ')}` : '',
  );
}
