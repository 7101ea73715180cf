import { fromHex, toHex } from '@vneid/core/bytes';
import { mrzKeySeed } from '@vneid/core/mrz';
import { describe, expect, it } from 'vitest';
import { deriveKey, padIso9797, retailMac, sha1, tripleDesCbcEncrypt } from '../../src/crypto/index.ts';
import { bacCardRespond } from '../../src/protocols/card/bac-card.ts';
import { bacAccessKeys, bacKeySeed, performBac } from '../../src/protocols/index.ts';
import { createCardSecureMessaging } from '../../src/sm/card.ts';
import { createSecureChannel, type SecureMessagingKeys } from '../../src/sm/index.ts';
import { createScriptedTransport } from '../../src/transport/index.ts';
import v from './vectors/icao-9303-11-appendix-d.json' with { type: 'json' };

const hex = (b: Uint8Array): string => toHex(b).toUpperCase();

/** Hands out the published RND.IFD and K.IFD, in that order, and nothing else. */
function scriptedRandom(): (n: number) => Uint8Array {
  const queue = [fromHex(v.d3.rndIfd), fromHex(v.d3.kIfd)];
  return (n) => {
    const next = queue.shift();
    if (next === undefined || next.length !== n) throw new Error(`unexpected random(${n})`);
    return next;
  };
}

describe('ICAO 9303-11 Appendix D.1/D.2: keys from the MRZ', () => {
  it('MRZ_information is the document number padded to 9 with its check digits (core mrzKeySeed)', () => {
    expect(mrzKeySeed(v.mrz)).toBe(v.mrz.mrzInformation);
  });

  it('K_seed is the first 16 bytes of SHA-1(MRZ_information)', () => {
    expect(hex(sha1(new TextEncoder().encode(v.mrz.mrzInformation)))).toBe(v.d1.sha1OfMrzInformation);
    expect(hex(bacKeySeed(v.mrz))).toBe(v.d1.kSeed);
  });

  it('K_enc and K_mac with DES parity', () => {
    const keys = bacAccessKeys(fromHex(v.d1.kSeed));
    expect(hex(keys.kEnc)).toBe(v.d1.kEnc);
    expect(hex(keys.kMac)).toBe(v.d1.kMac);
    expect(hex(deriveKey(fromHex(v.d1.kSeed), 1, '3des', 128))).toBe(v.d1.kEnc);
  });

  it('the same seed from ISO dates and from the raw seed', () => {
    expect(
      hex(bacKeySeed({ documentNumber: 'L898902C', dateOfBirth: '1969-08-06', dateOfExpiry: '1994-06-23' })),
    ).toBe(v.d1.kSeed);
    expect(hex(bacKeySeed(fromHex(v.d1.kSeed)))).toBe(v.d1.kSeed);
  });
});

describe('ICAO 9303-11 Appendix D.3: authentication and session keys', () => {
  it('E_IFD and M_IFD', () => {
    expect(hex(tripleDesCbcEncrypt(fromHex(v.d1.kEnc), fromHex(v.d3.s)))).toBe(v.d3.eIfd);
    expect(hex(retailMac(fromHex(v.d1.kMac), padIso9797(fromHex(v.d3.eIfd), 8)))).toBe(v.d3.mIfd);
    expect(hex(retailMac(fromHex(v.d1.kMac), padIso9797(fromHex(v.d3.eIcc), 8)))).toBe(v.d3.mIcc);
    expect(hex(tripleDesCbcEncrypt(fromHex(v.d1.kEnc), fromHex(v.d3.r)))).toBe(v.d3.eIcc);
  });

  it('performBac sends every published command byte for byte and reads EF.COM over the channel (D.4)', async () => {
    const transport = createScriptedTransport([
      v.d3.getChallenge,
      v.d3.externalAuthenticate,
      ...v.d4.map((s) => ({ command: s.protectedCommand, response: s.protectedResponse })),
    ]);
    const captured: SecureMessagingKeys[] = [];
    const result = await performBac(transport, v.mrz, {
      random: scriptedRandom(),
      createChannel: (inner, keys) => {
        captured.push(keys);
        return createSecureChannel(inner, keys);
      },
    });
    const keys = captured[0] as SecureMessagingKeys;
    expect(hex(keys.kEnc)).toBe(v.d3.ksEnc);
    expect(hex(keys.kMac)).toBe(v.d3.ksMac);
    expect(hex(keys.ssc)).toBe(v.d3.ssc);
    expect(result.cipher).toBe('3des');
    for (const step of v.d4) {
      expect(hex(await result.channel.transceive(fromHex(step.plainCommand))), step.name).toBe(
        step.plainResponse,
      );
    }
    expect(transport.remaining).toBe(0);
  });

  it('performBac with the default channel', async () => {
    const transport = createScriptedTransport([
      v.d3.getChallenge,
      v.d3.externalAuthenticate,
      { command: v.d4[0]?.protectedCommand as string, response: v.d4[0]?.protectedResponse as string },
    ]);
    const { channel } = await performBac(transport, fromHex(v.d1.kSeed), { random: scriptedRandom() });
    expect(hex(await channel.transceive(fromHex(v.d4[0]?.plainCommand as string)))).toBe('9000');
  });

  it('bacCardRespond produces the published E_IC ‖ M_IC and the session keys', () => {
    const auth = fromHex(v.d3.externalAuthenticate.command).subarray(5, 45);
    const answer = bacCardRespond(fromHex(v.d1.kSeed), fromHex(v.d3.rndIcc), fromHex(v.d3.kIcc), auth);
    expect(answer).not.toBeNull();
    expect(`${hex(answer?.response as Uint8Array)}9000`).toBe(v.d3.externalAuthenticate.response);
    expect(hex(answer?.sessionKeys.kEnc as Uint8Array)).toBe(v.d3.ksEnc);
    expect(hex(answer?.sessionKeys.kMac as Uint8Array)).toBe(v.d3.ksMac);
    expect(hex(answer?.sessionKeys.ssc as Uint8Array)).toBe(v.d3.ssc);
    // The card's SM then answers D.4 as published.
    const card = createCardSecureMessaging(answer?.sessionKeys as SecureMessagingKeys);
    const step = v.d4[0] as (typeof v.d4)[number];
    expect(hex(card.unwrapCommand(fromHex(step.protectedCommand)).command)).toBe(step.plainCommand);
    expect(hex(card.wrapResponse(new Uint8Array(0), 0x9000))).toBe(step.protectedResponse);
  });
});
