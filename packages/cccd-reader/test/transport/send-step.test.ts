/**
 * One policy for the commands of BAC, PACE, Chip and Active Authentication (`send-step.ts`):
 * a lost link becomes the protocol's error with the step and the cause; an abort and the
 * channel's secure-messaging errors pass through unchanged; 6Cxx sends the command again with
 * the exact Le. (Before, PACE and CA turned SM errors into PACE_FAILED / CA_FAILED while AA
 * passed them through.)
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type CardFiles, createCardFiles, createSyntheticPerson } from '../../src/emulator/index.ts';
import { ReaderError } from '../../src/errors.ts';
import { performActiveAuthentication } from '../../src/protocols/aa.ts';
import { performBac } from '../../src/protocols/bac.ts';
import { performChipAuthentication } from '../../src/protocols/ca.ts';
import { performPace } from '../../src/protocols/pace/index.ts';
import { type ApduTransport, buildResponseApdu, parseCommandApdu } from '../../src/transport/index.ts';

let files: CardFiles;
beforeAll(async () => {
  files = await createCardFiles(createSyntheticPerson(44));
});

type Run = (t: ApduTransport) => Promise<unknown>;
const protocols = (): Array<[string, string, Run]> => [
  ['BAC', 'BAC_FAILED', (t) => performBac(t, new Uint8Array(16).fill(1))],
  [
    'PACE',
    'PACE_FAILED',
    (t) => performPace(t, { can: '123456' }, { oid: '0.4.0.127.0.7.2.2.4.2.2', parameterId: 13 }),
  ],
  [
    'CA',
    'CA_FAILED',
    (t) =>
      performChipAuthentication({ ...t, transceive: t.transceive.bind(t), rekey: () => {} } as never, {
        dg14: files.dataGroups.get(14) as Uint8Array,
      }),
  ],
  [
    'AA',
    'AA_FAILED',
    (t) => performActiveAuthentication(t, { dg15: files.dataGroups.get(15) as Uint8Array }),
  ],
];

const throwing = (e: unknown): ApduTransport => ({
  async transceive() {
    throw e;
  },
});

async function errorOf(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe('send-step policy, the same for BAC, PACE, CA and AA', () => {
  it('a lost link (TRANSPORT_FAILED or a foreign error) → the protocol error, step set, cause kept', async () => {
    for (const [name, code, run] of protocols()) {
      for (const cause of [new ReaderError('TRANSPORT_FAILED', 'lost'), new Error('Tag was lost')]) {
        const e = await errorOf(run(throwing(cause)));
        expect(e, name).toBeInstanceOf(ReaderError);
        expect((e as ReaderError).code, name).toBe(code);
        expect(typeof (e as ReaderError).context.step, name).toBe('string');
        expect((e as ReaderError).cause, name).toBe(cause);
      }
    }
  });

  it('SM_MAC_MISMATCH, SM_REJECTED and ABORTED pass through unchanged', async () => {
    for (const [name, , run] of protocols()) {
      for (const code of ['SM_MAC_MISMATCH', 'SM_REJECTED', 'ABORTED'] as const) {
        const thrown = new ReaderError(code, 'x');
        expect(await errorOf(run(throwing(thrown))), `${name} ${code}`).toBe(thrown);
      }
    }
  });

  it('6Cxx to a command with Le: the same command again with Le = xx (BAC GET CHALLENGE, AA)', async () => {
    for (const [name, , run] of protocols().filter(([n]) => n === 'BAC' || n === 'AA')) {
      const les: Array<number | undefined> = [];
      const t: ApduTransport = {
        async transceive(command) {
          les.push(parseCommandApdu(command).le);
          if (les.length === 1) return buildResponseApdu(new Uint8Array(0), 0x6c08);
          return buildResponseApdu(new Uint8Array(0), 0x6985);
        },
      };
      await errorOf(run(t));
      expect(les.length, name).toBe(2);
      expect(les[1], name).toBe(8);
    }
  });
});
