import { describe, expect, it } from 'vitest';
import { renderQrFrame, syntheticPayload, syntheticPerson } from '../../test/support/qr-images.ts';
import { mrzKeyAfterExpiry, onboardFromFrame } from './index.ts';

describe('example: eKYC from the card QR', () => {
  it('fills the form and derives the chip keys from a camera-like frame', async () => {
    const person = syntheticPerson(7);
    const frame = renderQrFrame(syntheticPayload(7), {
      width: 640,
      height: 480,
      rotation: 12,
      noise: 8,
      format: 'rgba',
      seed: 7,
    });
    const result = await onboardFromFrame(frame);
    expect(result.status).toBe('ok');
    expect(result.form?.idNumber).toBe(person.idNumber);
    expect(result.form?.fullName).toBe(person.fullName.normalize('NFC'));
    expect(result.chip?.can).toBe(person.idNumber.slice(6));
    const key = mrzKeyAfterExpiry(result.form!, '2040-01-01');
    expect(key.documentNumber).toBe(person.idNumber);
    expect(key.dateOfExpiry).toBe('400101');
  });

  it('says so when the frame has no QR code or another QR code', async () => {
    expect(
      (await onboardFromFrame(renderQrFrame(null, { width: 320, height: 240, format: 'rgba', seed: 1 })))
        .status,
    ).toBe('no-qr');
    const other = await onboardFromFrame(
      renderQrFrame('https://example.com/not-a-card', { width: 480, height: 360, format: 'rgba', seed: 2 }),
    );
    expect(other).toMatchObject({ status: 'not-a-cccd', reason: 'WRONG_FIELD_COUNT' });
  });
});
