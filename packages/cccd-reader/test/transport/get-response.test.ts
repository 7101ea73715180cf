/**
 * GET RESPONSE after 61xx (ISO/IEC 7816-4) and the resend with the exact Le after 6Cxx.
 */
import { toHex } from '@vneid/core/bytes';
import { describe, expect, it } from 'vitest';
import { completeResponse, withExactLe, withGetResponse } from '../../src/transport/get-response.ts';
import {
  type ApduTransport,
  buildCommandApdu,
  buildResponseApdu,
  parseCommandApdu,
} from '../../src/transport/index.ts';

/** A chip holding `data`, sending at most `part` bytes per answer (61xx for the rest). */
function chunkedChip(data: Uint8Array, part: number) {
  const commands: string[] = [];
  let rest = data;
  const answer = (): Uint8Array => {
    const now = rest.subarray(0, part);
    rest = rest.subarray(now.length);
    return buildResponseApdu(
      now,
      rest.length === 0 ? 0x9000 : 0x6100 | (rest.length >= 256 ? 0 : rest.length),
    );
  };
  const transport: ApduTransport = {
    async transceive(command) {
      commands.push(toHex(command));
      return answer();
    },
  };
  return { transport, commands };
}

const bytes = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => i & 0xff);

describe('completeResponse / withGetResponse', () => {
  it('joins 256 + 35 bytes: GET RESPONSE 00 C0 00 00 23, the last status word', async () => {
    const chip = chunkedChip(bytes(291), 256);
    const r = await withGetResponse(chip.transport).transceive(Uint8Array.of(0x0c, 0x88, 0, 0, 0));
    expect(r).toEqual(buildResponseApdu(bytes(291), 0x9000));
    expect(chip.commands).toEqual(['0c88000000', '00c0000023']);
  });

  it('61 00 asks for 256 bytes; several parts are joined in order', async () => {
    const chip = chunkedChip(bytes(700), 256);
    const r = await withGetResponse(chip.transport).transceive(Uint8Array.of(0, 0xb0, 0, 0, 0));
    expect(r).toEqual(buildResponseApdu(bytes(700), 0x9000));
    expect(chip.commands.slice(1)).toEqual(['00c0000000', '00c00000bc']);
  });

  it('an answer without 61xx is returned as it is, without another command', async () => {
    const chip = chunkedChip(bytes(10), 256);
    const first = await chip.transport.transceive(Uint8Array.of(0, 0xb0, 0, 0, 10));
    expect(await completeResponse(chip.transport, first)).toBe(first);
    expect(chip.commands).toHaveLength(1);
  });

  it('a chip that never stops sending parts is cut off with INVALID_RESPONSE', async () => {
    const endless: ApduTransport = {
      async transceive() {
        return buildResponseApdu(bytes(256), 0x6100);
      },
    };
    await expect(withGetResponse(endless).transceive(Uint8Array.of(0, 0xb0, 0, 0, 0))).rejects.toMatchObject({
      code: 'INVALID_RESPONSE',
    });
  });

  it('withExactLe replaces Le and keeps the short or extended form', () => {
    const short = buildCommandApdu({ cla: 0, ins: 0x88, p1: 0, p2: 0, data: bytes(8), le: 256 });
    expect(toHex(withExactLe(short, 0x80))).toBe(`0088000008${toHex(bytes(8))}80`);
    const ext = buildCommandApdu({
      cla: 0,
      ins: 0x88,
      p1: 0,
      p2: 0,
      data: bytes(8),
      le: 256,
      extended: true,
    });
    expect(parseCommandApdu(withExactLe(ext, 0x80))).toMatchObject({ le: 0x80, extended: true });
  });
});
