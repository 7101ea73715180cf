import { fromHex, toHex } from '@vneid/core/bytes';
import { describe, expect, it } from 'vitest';
import { createCardSecureMessaging } from '../../src/sm/card.ts';
import { createSecureChannel, openSession, protectCommand, unprotectResponse } from '../../src/sm/index.ts';
import { createScriptedTransport } from '../../src/transport/index.ts';
import v from './vectors/aes-sm.json' with { type: 'json' };

const lower = (b: Uint8Array): string => toHex(b).toLowerCase();
const keysOf = (x: { keyBits: number; kEnc: string; kMac: string }, ssc: string) => ({
  cipher: 'aes' as const,
  keyBits: x.keyBits as 128 | 192 | 256,
  kEnc: fromHex(x.kEnc),
  kMac: fromHex(x.kMac),
  ssc: fromHex(ssc),
});

describe('AES secure messaging against recorded public vectors', () => {
  for (const c of v.commands) {
    it(`protects: ${c.name}`, () => {
      const session = openSession(keysOf(c, c.ssc));
      expect(lower(protectCommand(session, fromHex(c.plainCommand)))).toBe(c.protectedCommand.toLowerCase());
      // and the card side recovers the plain command from it
      const card = createCardSecureMessaging(keysOf(c, c.ssc));
      expect(lower(card.unwrapCommand(fromHex(c.protectedCommand)).command)).toBe(
        c.plainCommand.toLowerCase(),
      );
    });
  }

  for (const r of v.responses) {
    it(`unprotects: ${r.name}`, () => {
      const session = openSession(keysOf(r, r.sscBeforeResponse));
      expect(lower(unprotectResponse(session, fromHex(r.protectedResponse)))).toBe(
        r.plainResponse.toLowerCase(),
      );
    });
  }

  for (const s of v.sessions) {
    it(`replays a session: ${s.name}`, async () => {
      const inner = createScriptedTransport(
        s.exchanges.map((e) => ({ command: e.protectedCommand, response: e.protectedResponse })),
      );
      const channel = createSecureChannel(inner, keysOf(s, s.ssc));
      expect(channel.keyBits).toBe(256);
      for (const e of s.exchanges) {
        expect(lower(await channel.transceive(fromHex(e.plainCommand)))).toBe(e.plainResponse.toLowerCase());
      }
      expect(inner.remaining).toBe(0);
      // the card side produces the same responses
      const card = createCardSecureMessaging(keysOf(s, s.ssc));
      for (const e of s.exchanges) {
        expect(lower(card.unwrapCommand(fromHex(e.protectedCommand)).command)).toBe(
          e.plainCommand.toLowerCase(),
        );
        const plain = fromHex(e.plainResponse);
        const sw = ((plain[plain.length - 2] as number) << 8) | (plain[plain.length - 1] as number);
        expect(lower(card.wrapResponse(plain.subarray(0, -2), sw))).toBe(e.protectedResponse.toLowerCase());
      }
    });
  }
});
