import { toHex } from '@vneid/core/bytes';
import { describe, expect, it } from 'vitest';
import { createScriptedTransport, throwIfAborted } from '../../src/transport/index.ts';

describe('createScriptedTransport', () => {
  it('answers the scripted responses to the scripted commands (hex case and spaces ignored)', async () => {
    const t = createScriptedTransport([
      { command: '00 84 00 00 08', response: '46 08 F9 19 88 70 22 12 90 00' },
      { command: '00a4020c02011e', response: '9000' },
    ]);
    expect(t.remaining).toBe(2);
    expect(toHex(await t.transceive(Uint8Array.of(0, 0x84, 0, 0, 8)))).toBe('4608f919887022129000');
    expect(t.remaining).toBe(1);
    expect(toHex(await t.transceive(Uint8Array.of(0, 0xa4, 2, 0x0c, 2, 1, 0x1e)))).toBe('9000');
    expect(t.remaining).toBe(0);
  });

  it('a different command fails with INVALID_ARGUMENT and does not advance', async () => {
    const t = createScriptedTransport([{ command: '0084000008', response: '9000' }]);
    await expect(t.transceive(Uint8Array.of(0, 0x84, 0, 0, 4))).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    expect(t.remaining).toBe(1);
  });

  it('a command past the end of the script fails', async () => {
    const t = createScriptedTransport([]);
    await expect(t.transceive(Uint8Array.of(0, 0x84, 0, 0, 8))).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  it('honours an aborted signal', async () => {
    const t = createScriptedTransport([{ command: '0084000008', response: '9000' }]);
    const c = new AbortController();
    c.abort();
    await expect(t.transceive(Uint8Array.of(0, 0x84, 0, 0, 8), { signal: c.signal })).rejects.toMatchObject({
      code: 'ABORTED',
    });
    expect(t.remaining).toBe(1);
  });

  it('throwIfAborted passes without a signal or when not aborted', () => {
    expect(() => throwIfAborted(undefined)).not.toThrow();
    expect(() => throwIfAborted(new AbortController().signal)).not.toThrow();
  });
});
