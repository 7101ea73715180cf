/**
 * @module
 * Responses longer than the command's Le (ISO/IEC 7816-4: status bytes 61XX and 6CXX, and the
 * GET RESPONSE command):
 * a chip with more data than fits answers the first part with SW1 = 61 and SW2 = the bytes
 * still available (00: 256 or more), and the terminal fetches the rest with GET RESPONSE
 * `00 C0 00 00 xx`. This is transmission-level: under secure messaging the GET RESPONSE
 * commands are sent in plain and the parts joined are the protected response (as chips and
 * readers do, e.g. OpenSC pull request #3768; Finnish passports answer INTERNAL AUTHENTICATE
 * under secure messaging with 256 bytes and 61 1B, NFCPassportReader issue #174). A wrong Le
 * answered `6Cxx` is command-level (resend the same command with Le = xx) and is handled by
 * whoever built the command, with {@link withExactLe}.
 */
import { ReaderError } from '../errors.ts';
import { buildCommandApdu, parseCommandApdu } from './apdu.ts';
import type { ApduTransport, TransceiveOptions } from './transport.ts';

/** Largest total response {@link completeResponse} assembles (an extended Ne, plus SM objects). */
export const MAX_CHAINED_RESPONSE: number = 65536 + 64;

/** GET RESPONSE for `n` bytes (1–256): `00 C0 00 00 xx`. */
export function buildGetResponse(n: number): Uint8Array {
  return buildCommandApdu({ cla: 0x00, ins: 0xc0, p1: 0x00, p2: 0x00, le: n });
}

/**
 * Follows `61xx` answers with GET RESPONSE until the chip has sent everything, and returns the
 * whole response (all data parts ‖ the status word of the last part). A response without 61xx is
 * returned as it is.
 * @throws {ReaderError} `INVALID_RESPONSE` when the parts exceed {@link MAX_CHAINED_RESPONSE} or
 * a part is not a response APDU; the transport's errors unchanged
 */
export async function completeResponse(
  transport: ApduTransport,
  response: Uint8Array,
  options?: TransceiveOptions,
): Promise<Uint8Array> {
  if (response.length < 2 || response[response.length - 2] !== 0x61) return response;
  const parts: Uint8Array[] = [];
  let total = 0;
  let current = response;
  for (;;) {
    if (current.length < 2) {
      throw new ReaderError('INVALID_RESPONSE', 'a GET RESPONSE answer lacks its status bytes', {
        context: { length: current.length },
      });
    }
    const sw1 = current[current.length - 2] as number;
    const sw2 = current[current.length - 1] as number;
    const data = current.subarray(0, current.length - 2);
    total += data.length;
    if (total > MAX_CHAINED_RESPONSE) {
      throw new ReaderError('INVALID_RESPONSE', 'the chained response is longer than any APDU response', {
        context: { length: total },
      });
    }
    parts.push(data);
    if (sw1 !== 0x61) {
      const out = new Uint8Array(total + 2);
      let at = 0;
      for (const p of parts) {
        out.set(p, at);
        at += p.length;
      }
      out[at] = sw1;
      out[at + 1] = sw2;
      return out;
    }
    current = await transport.transceive(buildGetResponse(sw2 === 0 ? 256 : sw2), options);
  }
}

/** A transport that completes every `61xx` answer with GET RESPONSE ({@link completeResponse}). */
export function withGetResponse(transport: ApduTransport): ApduTransport {
  return {
    async transceive(command, options) {
      return completeResponse(transport, await transport.transceive(command, options), options);
    },
  };
}

/**
 * `command` with its Le replaced by `le` (for a `6Cxx` answer: resend with Le = xx), keeping the
 * short or extended form. @throws {ReaderError} `INVALID_ARGUMENT` for a malformed command
 */
export function withExactLe(command: Uint8Array, le: number): Uint8Array {
  const parsed = parseCommandApdu(command);
  return buildCommandApdu({ ...parsed, le });
}
