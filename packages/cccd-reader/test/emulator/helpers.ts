import { fromHex } from '@vneid/core/bytes';
import {
  type CardFiles,
  type CardSigner,
  createCardFiles,
  createSyntheticPerson,
} from '../../src/emulator/index.ts';
import {
  type ApduTransport,
  buildCommandApdu,
  type CommandApdu,
  parseResponseApdu,
  type ResponseApdu,
} from '../../src/transport/index.ts';

/** Sends a command given as fields or hex and returns data and SW. */
export async function send(t: ApduTransport, command: CommandApdu | string): Promise<ResponseApdu> {
  const bytes =
    typeof command === 'string' ? fromHex(command.replace(/\s+/g, '')) : buildCommandApdu(command);
  return parseResponseApdu(await t.transceive(bytes));
}

export { seeded } from '../../../../test/support/random.ts';

const cache = new Map<string, Promise<CardFiles>>();

/** Card files for a seed, shared between tests of one file (files are never mutated). */
export function filesFor(seed = 21, signer: CardSigner = 'ecdsa-p256'): Promise<CardFiles> {
  const id = `${seed}/${signer}`;
  let f = cache.get(id);
  if (f === undefined) {
    f = createCardFiles(createSyntheticPerson(seed), { signer });
    cache.set(id, f);
  }
  return f;
}

export const SW_OK = 0x9000;
