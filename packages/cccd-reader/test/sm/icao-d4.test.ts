import { fromHex, toHex } from '@vneid/core/bytes';
import { describe, expect, it } from 'vitest';
import { padIso9797, retailMac } from '../../src/crypto/index.ts';
import { createCardSecureMessaging } from '../../src/sm/card.ts';
import { createSecureChannel } from '../../src/sm/index.ts';
import { commandMacInput } from '../../src/sm/terminal.ts';
import { createScriptedTransport } from '../../src/transport/index.ts';
import vectors from '../bac/vectors/icao-9303-11-appendix-d.json' with { type: 'json' };

const keys = () => ({
  cipher: '3des' as const,
  keyBits: 128 as const,
  kEnc: fromHex(vectors.d3.ksEnc),
  kMac: fromHex(vectors.d3.ksMac),
  ssc: fromHex(vectors.d3.ssc),
});

describe('ICAO 9303-11 Appendix D.4: 3DES secure messaging', () => {
  it('protects every command and unprotects every response byte for byte', async () => {
    const inner = createScriptedTransport(
      vectors.d4.map((s) => ({ command: s.protectedCommand, response: s.protectedResponse })),
    );
    const channel = createSecureChannel(inner, keys());
    expect(channel.cipher).toBe('3des');
    expect(channel.keyBits).toBe(128);
    for (const step of vectors.d4) {
      const plain = await channel.transceive(fromHex(step.plainCommand));
      expect(toHex(plain).toUpperCase(), step.name).toBe(step.plainResponse);
    }
    expect(inner.remaining).toBe(0);
  });

  it('the card side unwraps the published commands and produces the published responses', () => {
    const card = createCardSecureMessaging(keys());
    for (const step of vectors.d4) {
      const { command } = card.unwrapCommand(fromHex(step.protectedCommand));
      expect(toHex(command).toUpperCase(), step.name).toBe(step.plainCommand);
      const plain = fromHex(step.plainResponse);
      const sw = ((plain[plain.length - 2] as number) << 8) | (plain[plain.length - 1] as number);
      const wrapped = card.wrapResponse(plain.subarray(0, plain.length - 2), sw);
      expect(toHex(wrapped).toUpperCase(), step.name).toBe(step.protectedResponse);
    }
  });

  it('the published MAC inputs N and checksums of the SELECT exchange', () => {
    const step = vectors.d4[0] as (typeof vectors.d4)[number];
    const kMac = fromHex(vectors.d3.ksMac);
    const n = fromHex(step.macInputCommand as string);
    expect(toHex(retailMac(kMac, padIso9797(n, 8))).toUpperCase()).toBe(step.macCommand);
    // N = SSC ‖ padded header ‖ DO'87'
    const m = commandMacInput(fromHex('0CA4020C'), 8, fromHex(step.do87 as string));
    expect(`${step.sscCommand}${toHex(m).toUpperCase()}`).toBe(step.macInputCommand);
    const nr = fromHex(step.macInputResponse as string);
    expect(toHex(retailMac(kMac, padIso9797(nr, 8))).toUpperCase()).toBe(step.macResponse);
  });
});
