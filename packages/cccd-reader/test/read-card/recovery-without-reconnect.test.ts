/**
 * Recovery on the same transport, without a `reconnect` callback (the README's examples pass
 * none): an extended-length READ BINARY the link cannot carry (a phone NFC stack refusing the
 * length, as Android's IsoDep does when extended length is unsupported) falls back to short
 * reads after opening the session again on the same transport; only a link that stays dead is
 * `TRANSPORT_FAILED`. And a wrong CAN costs the chip one PACE run per key, reported in
 * `attempts[].runs`.
 */
import { equalBytes } from '@vneid/core/bytes';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type CardFiles,
  createCardFiles,
  createEmulatedCard,
  createSyntheticPerson,
  type SyntheticPerson,
} from '../../src/emulator/index.ts';
import { AccessDeniedError, ReaderError, readCard } from '../../src/index.ts';
import { type ApduTransport, parseCommandApdu } from '../../src/transport/index.ts';

let cccd: { person: SyntheticPerson; files: CardFiles };
beforeAll(async () => {
  const person = createSyntheticPerson(43);
  cccd = { person, files: await createCardFiles(person) };
});

const isExtended = (command: Uint8Array): boolean => {
  try {
    return parseCommandApdu(command).extended === true;
  } catch {
    return false;
  }
};

/** A phone whose NFC stack throws on extended-length APDUs before sending them. */
function shortOnlyPhone(card: ApduTransport, deadAfterRefusal = false) {
  let refused = 0;
  const offsets: number[] = [];
  const transport: ApduTransport = {
    async transceive(command, options) {
      if (deadAfterRefusal && refused > 0) throw new Error('Tag was lost');
      if (isExtended(command)) {
        refused++;
        throw new Error('Transceive length exceeds supported maximum');
      }
      if (command[0] === 0x0c && command[1] === 0xb0)
        offsets.push(((command[2] as number) << 8) | (command[3] as number));
      return card.transceive(command, options);
    },
  };
  return {
    transport,
    offsets,
    get refused() {
      return refused;
    },
  };
}

describe('an extended-length probe the link cannot carry, without reconnect', () => {
  it('falls back to short reads on the same transport: session re-opened once, every file whole', async () => {
    for (const chipExtended of [false, true]) {
      const card = createEmulatedCard(cccd.files, { extendedLength: chipExtended });
      const phone = shortOnlyPhone(card);
      const r = await readCard(phone.transport, {
        idNumber: cccd.person.idNumber,
        authenticate: { active: true },
      });
      expect(phone.refused).toBe(1);
      expect(r.reconnects).toBe(0);
      expect(r.sessionRestarts).toBe(1);
      expect(r.skipped).toEqual([]);
      for (const dg of [1, 2, 13, 14, 15])
        expect(equalBytes(r.raw[dg] as Uint8Array, cccd.files.dataGroups.get(dg) as Uint8Array)).toBe(true);
      // AA under SM over the short-only link: short Le, the chip's 61xx parts.
      expect(r.verification?.active?.ok).toBe(true);
    }
  });

  it('a reconnect callback is not needed for it and not called', async () => {
    const card = createEmulatedCard(cccd.files);
    const phone = shortOnlyPhone(card);
    let calls = 0;
    const r = await readCard(phone.transport, {
      idNumber: cccd.person.idNumber,
      reconnect: async () => {
        calls++;
      },
    });
    expect(calls).toBe(0);
    expect(r.sessionRestarts).toBe(1);
    expect(equalBytes(r.raw[2] as Uint8Array, cccd.files.dataGroups.get(2) as Uint8Array)).toBe(true);
  });

  it('a link that stays dead: TRANSPORT_FAILED (no reconnect given)', async () => {
    const card = createEmulatedCard(cccd.files);
    const phone = shortOnlyPhone(card, true);
    const e = await readCard(phone.transport, { idNumber: cccd.person.idNumber }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(ReaderError);
    expect((e as ReaderError).code).toBe('TRANSPORT_FAILED');
  });
});

describe('a wrong CAN costs one PACE run per key', () => {
  it('one MSE:Set AT and one mutual authentication per PACE key, one EXTERNAL AUTHENTICATE per BAC key; runs: 1 each', async () => {
    const card = createEmulatedCard(cccd.files);
    let mse = 0;
    let mutual = 0;
    let external = 0;
    const t: ApduTransport = {
      async transceive(command, options) {
        if (command[1] === 0x22 && command[2] === 0xc1) mse++;
        if (command[0] === 0x00 && command[1] === 0x86) mutual++; // the last GENERAL AUTHENTICATE
        if (command[1] === 0x82) external++;
        return card.transceive(command, options);
      },
    };
    const id = cccd.person.idNumber;
    const wrongId = `${id.slice(0, 6)}${String((Number(id.slice(6)) + 1) % 1_000_000).padStart(6, '0')}`;
    const e = await readCard(t, {
      idNumber: wrongId,
      dateOfBirth: cccd.person.dateOfBirth,
      dateOfExpiry: cccd.person.dateOfExpiry,
      reconnect: async () => {
        card.reconnect();
      },
    }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(AccessDeniedError);
    const attempts = (e as AccessDeniedError).attempts;
    expect(attempts.map((a) => `${a.method} ${a.keyForm} ${a.runs}`)).toEqual([
      'PACE-CAN CAN 1',
      'PACE-MRZ 12-digit 1',
      'PACE-MRZ 9-digit 1',
      'BAC 12-digit 1',
      'BAC 9-digit 1',
    ]);
    expect(attempts.every((a) => a.error?.sw === 0x6300)).toBe(true);
    expect(mse).toBe(3);
    expect(mutual).toBe(3);
    expect(external).toBe(2);
  });

  it('a run the lost link interrupted counts: runs 2 after one reconnection', async () => {
    const card = createEmulatedCard(cccd.files);
    let drop = true;
    const t: ApduTransport = {
      async transceive(command, options) {
        if (drop && command[1] === 0x86) {
          drop = false;
          card.reconnect();
          throw new Error('Tag was lost');
        }
        return card.transceive(command, options);
      },
    };
    const r = await readCard(t, {
      idNumber: cccd.person.idNumber,
      files: ['DG1'],
      reconnect: async () => {},
    });
    expect(r.attempts).toEqual([{ method: 'PACE-CAN', keyForm: 'CAN', ok: true, runs: 2 }]);
    expect(r.reconnects).toBe(1);
  });
});
