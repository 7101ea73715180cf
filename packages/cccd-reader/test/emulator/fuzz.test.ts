import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CardFiles, createEmulatedCard } from '../../src/emulator/index.ts';
import { ReaderError } from '../../src/errors.ts';
import { performPace } from '../../src/protocols/index.ts';
import { selectApplication } from '../../src/reading/index.ts';
import { filesFor, seeded } from './helpers.ts';

let files: CardFiles;
beforeAll(async () => {
  files = await filesFor();
});

/** APDU-shaped random bytes: known instructions with random parameters and bodies. */
const apdu = fc
  .tuple(
    fc.constantFrom(0x00, 0x0c, 0x10, 0x1c, 0x80),
    fc.constantFrom(0xa4, 0xb0, 0xb1, 0x84, 0x82, 0x22, 0x86, 0x88, 0xca),
    fc.integer({ min: 0, max: 255 }),
    fc.integer({ min: 0, max: 255 }),
    fc.uint8Array({ maxLength: 300 }),
  )
  .map(([cla, ins, p1, p2, body]) => Uint8Array.of(cla, ins, p1, p2, ...body));

describe('the card never crashes on hostile commands', () => {
  it('answers random commands with a status word, before any session (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(apdu, fc.uint8Array({ minLength: 4, maxLength: 40 })), { maxLength: 12 }),
        async (commands) => {
          const card = createEmulatedCard(files, { random: seeded(5) });
          for (const command of commands) {
            const response = await card.transceive(command);
            expect(response.length).toBeGreaterThanOrEqual(2);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('answers random commands inside a PACE session, then still runs PACE again (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(apdu, { minLength: 1, maxLength: 6 }), async (commands) => {
        const card = createEmulatedCard(files, { random: seeded(6) });
        const { channel } = await performPace(card, { can: files.access.can }, files.pace as never, {
          random: seeded(7),
        });
        await selectApplication(channel);
        for (const command of commands) {
          try {
            const response = await card.transceive(command);
            expect(response.length).toBeGreaterThanOrEqual(2);
          } catch (error) {
            expect(error).toBeInstanceOf(ReaderError);
          }
        }
        const again = await performPace(card, { can: files.access.can }, files.pace as never, {
          random: seeded(8),
        });
        await selectApplication(again.channel);
      }),
      { numRuns: 20 },
    );
  });

  it('rejects commands shorter than a header with 6700', async () => {
    const card = createEmulatedCard(files);
    for (const bytes of [new Uint8Array(0), Uint8Array.of(0), Uint8Array.of(0, 0xa4, 2)]) {
      expect([...(await card.transceive(bytes))]).toEqual([0x67, 0x00]);
    }
  });
});
