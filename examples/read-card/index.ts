/**
 * eKYC step 2: read the chip and decide whether to trust it. Reads a card over any
 * ApduTransport (here the software chip of a fictional citizen), verifies it (passive, chip and
 * active authentication), compares it with what the QR step prefilled, and returns a decision a
 * bank's back end can store — without personal data in the log line.
 *
 * Run: `pnpm --dir examples read-card`.
 */
import { readCard } from '@vneid/cccd-reader';
import { createCardFiles, createEmulatedCard, createSyntheticPerson } from '@vneid/cccd-reader/emulator';
import { createTrustStore, type TrustStore } from '@vneid/cccd-reader/pa';
import type { ApduTransport } from '@vneid/cccd-reader/transport';

/** The outcome of the chip step. */
export interface ChipDecision {
  accepted: boolean;
  /** Why not, as stable codes (safe to log). */
  reasons: string[];
  accessMethod: string;
  /** The verified identity (only when accepted). */
  identity?: { idNumber: string; fullName: string; dateOfBirth: string; face: Uint8Array };
}

/** Reads and verifies a card, and checks it against the ID number the customer gave. */
export async function verifyCustomerCard(
  transport: ApduTransport,
  expectedIdNumber: string,
  trustStore: TrustStore,
  reconnect?: () => Promise<undefined>,
): Promise<ChipDecision> {
  const r = await readCard(transport, {
    idNumber: expectedIdNumber,
    authenticate: { passive: trustStore, chip: true, active: true },
    ...(reconnect ? { reconnect } : {}),
  });
  const reasons: string[] = [];
  const v = r.verification;
  if (!v?.passive?.ok) reasons.push('PASSIVE_AUTHENTICATION_FAILED');
  if (!v?.chip?.ok) reasons.push('CHIP_AUTHENTICATION_FAILED');
  if (v?.active && !v.active.ok) reasons.push('ACTIVE_AUTHENTICATION_FAILED');
  // The one verdict: data as issued AND a chip proven genuine (v.genuineBy: CA, CAM or AA).
  if (v?.ok !== true && reasons.length === 0) reasons.push('CHIP_NOT_PROVEN_GENUINE');
  const dg13 = r.files.dg13;
  const face = r.files.dg2?.faces[0]?.image;
  if (!dg13 || !face) reasons.push('MISSING_DATA');
  if (dg13 && dg13.idNumber !== expectedIdNumber) reasons.push('ID_NUMBER_MISMATCH');
  const accepted = reasons.length === 0;
  return {
    accepted,
    reasons,
    accessMethod: r.accessMethod,
    ...(accepted && dg13 && face
      ? {
          identity: {
            idNumber: dg13.idNumber ?? '',
            fullName: dg13.fullName ?? '',
            dateOfBirth: dg13.dateOfBirth ?? '',
            face,
          },
        }
      : {}),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const person = createSyntheticPerson(42);
  const files = await createCardFiles(person);
  const decision = await verifyCustomerCard(
    createEmulatedCard(files),
    person.idNumber,
    createTrustStore({ certificates: [files.trust.csca] }),
  );
  console.log(
    decision.accepted ? 'accepted' : 'rejected',
    decision.accessMethod,
    decision.reasons.join(', '),
  );
}
