import { fromHex, toHex } from '@vneid/core/bytes';
import { describe, expect, it } from 'vitest';
import { createFileReader, readFile } from '../../src/reading/index.ts';
import { createSecureChannel } from '../../src/sm/index.ts';
import { createScriptedTransport } from '../../src/transport/index.ts';
// ICAO Doc 9303 Part 11 (8th ed. 2021) Appendix D.4: SELECT EF.COM, READ BINARY of the first 4
// bytes, READ BINARY of the remaining 18 bytes from offset 4 (source named in the file).
import vectors from '../bac/vectors/icao-9303-11-appendix-d.json' with { type: 'json' };

const keys = () => ({
  cipher: '3des' as const,
  keyBits: 128 as const,
  kEnc: fromHex(vectors.d3.ksEnc),
  kMac: fromHex(vectors.d3.ksMac),
  ssc: fromHex(vectors.d3.ssc),
});

const script = () => vectors.d4.map((s) => ({ command: s.protectedCommand, response: s.protectedResponse }));

/** EF.COM of the worked example: the plain data of both READ BINARY responses. */
const EF_COM = vectors.d4
  .slice(1)
  .map((s) => s.plainResponse.slice(0, -4))
  .join('');

describe('ICAO 9303-11 Appendix D.4 through the reading layer', () => {
  it('readFile(EF.COM) with a 4-byte header read sends exactly the published protected APDUs', async () => {
    const inner = createScriptedTransport(script());
    const events: Array<[number, number]> = [];
    const bytes = await readFile(createSecureChannel(inner, keys()), 0x011e, {
      secureMessaging: '3des',
      headerLength: 4,
      shortFileId: false, // the worked example SELECTs EF.COM
      onProgress: (e) => events.push([e.bytesRead, e.totalBytes]),
    });
    expect(inner.remaining).toBe(0);
    expect(toHex(bytes).toUpperCase()).toBe(EF_COM);
    expect(bytes.length).toBe(22);
    expect(events).toEqual([
      [4, 22],
      [22, 22],
    ]);
  });

  it('the default 6-byte header read departs from the script at the first READ BINARY', async () => {
    const inner = createScriptedTransport(script());
    const reader = createFileReader(createSecureChannel(inner, keys()), {
      secureMessaging: '3des',
      shortFileId: false,
    });
    await expect(reader.readFile(0x011e)).rejects.toThrow(/command #1/);
  });
});
