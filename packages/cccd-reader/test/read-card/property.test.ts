import { equalBytes } from '@vneid/core/bytes';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type CardFiles,
  createCardFiles,
  createEmulatedCard,
  createSyntheticPerson,
  type SyntheticPerson,
} from '../../src/emulator/index.ts';
import { readCard } from '../../src/index.ts';

let person: SyntheticPerson;
let both: CardFiles;
let bacOnly: CardFiles;
beforeAll(async () => {
  person = createSyntheticPerson(77);
  both = await createCardFiles(person);
  bacOnly = await createCardFiles(person, { pace: false });
});

describe('readCard: property over chip limits and reader settings', () => {
  it('returns exactly the chip files for any length limits, refusal style and chunk settings', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          bac: fc.boolean(),
          extendedLength: fc.boolean(),
          maxLe: fc.option(fc.integer({ min: 16, max: 4096 }), { nil: undefined }),
          leErrorStyle: fc.constantFrom<'wrong-length' | 'exact-length'>('wrong-length', 'exact-length'),
          endOfFileSw: fc.constantFrom<0x9000 | 0x6282>(0x9000, 0x6282),
          readerExtended: fc.constantFrom<'auto' | boolean>('auto', true, false),
          maxChunk: fc.option(fc.integer({ min: 32, max: 5000 }), { nil: undefined }),
          lostAt: fc.option(fc.integer({ min: 0, max: 15_000 }), { nil: undefined }),
        }),
        async (c) => {
          const files = c.bac ? bacOnly : both;
          const maxLe =
            c.maxLe === undefined ? undefined : c.extendedLength ? c.maxLe : Math.min(c.maxLe, 256);
          const card = createEmulatedCard(files, {
            extendedLength: c.extendedLength,
            ...(maxLe === undefined ? {} : { maxLe }),
            leErrorStyle: c.leErrorStyle,
            endOfFileSw: c.endOfFileSw,
            faults: c.lostAt === undefined ? {} : { lostConnectionAt: { file: 'DG2', offset: c.lostAt } },
          });
          const r = await readCard(card, {
            idNumber: person.idNumber,
            dateOfBirth: person.dateOfBirth,
            dateOfExpiry: person.dateOfExpiry,
            reading: {
              extendedLength: c.readerExtended,
              ...(c.maxChunk === undefined ? {} : { maxChunk: c.maxChunk }),
            },
            reconnect: async () => {
              card.reconnect();
            },
          });
          expect(r.accessMethod).toBe(c.bac ? 'BAC' : 'PACE-CAN');
          expect(equalBytes(r.raw.com as Uint8Array, files.com)).toBe(true);
          expect(equalBytes(r.raw.sod as Uint8Array, files.sod)).toBe(true);
          for (const dg of [1, 2, 13, 14, 15]) {
            expect(equalBytes(r.raw[dg] as Uint8Array, files.dataGroups.get(dg) as Uint8Array)).toBe(true);
          }
          expect(r.reconnects).toBe(c.lostAt === undefined ? 0 : 1);
        },
      ),
      { numRuns: Number(process.env.VNEID_PROPERTY_RUNS ?? 25) },
    );
  });
});
