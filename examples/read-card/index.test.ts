import { createCardFiles, createEmulatedCard, createSyntheticPerson } from '@vneid/cccd-reader/emulator';
import { createTrustStore } from '@vneid/cccd-reader/pa';
import { describe, expect, it } from 'vitest';
import { verifyCustomerCard } from './index.ts';

describe('example: read and verify the customer card', () => {
  it('accepts a genuine card and returns the verified identity with the face', async () => {
    const person = createSyntheticPerson(42);
    const files = await createCardFiles(person);
    const trust = createTrustStore({ certificates: [files.trust.csca] });
    const card = createEmulatedCard(files);
    card.faults.lostConnectionAt = { file: 'DG2', offset: 4000 };
    const d = await verifyCustomerCard(card, person.idNumber, trust, async () => undefined);
    expect(d).toMatchObject({ accepted: true, reasons: [], accessMethod: 'PACE-CAN' });
    expect(d.identity?.idNumber).toBe(person.idNumber);
    expect(d.identity?.face.subarray(0, 2)).toEqual(new Uint8Array([0xff, 0xd8]));
  });

  it('rejects a card whose DG13 was altered, a cloned chip, and an untrusted issuer', async () => {
    const person = createSyntheticPerson(43);
    const files = await createCardFiles(person);
    const trust = createTrustStore({ certificates: [files.trust.csca] });

    const tampered = createEmulatedCard(files);
    tampered.faults.tamperedDg = 13;
    expect((await verifyCustomerCard(tampered, person.idNumber, trust)).reasons).toContain(
      'PASSIVE_AUTHENTICATION_FAILED',
    );

    const clone = createEmulatedCard(files);
    clone.faults.clonedChip = true;
    const cloned = await verifyCustomerCard(clone, person.idNumber, trust);
    expect(cloned.accepted).toBe(false);
    expect(cloned.reasons).toContain('CHIP_AUTHENTICATION_FAILED');

    const other = await createCardFiles(createSyntheticPerson(44), { signer: 'rsa' });
    const untrusted = createTrustStore({ certificates: [other.trust.csca] });
    const d = await verifyCustomerCard(createEmulatedCard(files), person.idNumber, untrusted);
    expect(d).toMatchObject({ accepted: false, reasons: ['PASSIVE_AUTHENTICATION_FAILED'] });
    expect(d.identity).toBeUndefined();
  });
});
