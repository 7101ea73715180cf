import { afterAll, describe, expect, it, vi } from 'vitest';
import { renderQrFrame, syntheticPayload } from '../../../../test/support/qr-images.ts';

// A fresh module graph (vitest isolates files): the very first zxing load must not touch the network.
describe('zxing-wasm is loaded from the package, never a CDN', () => {
  const fetchSpy = vi.spyOn(globalThis, 'fetch').mockImplementation(async () => {
    throw new Error('network access attempted');
  });
  afterAll(() => fetchSpy.mockRestore());

  it('the Node entry reads the wasm from disk and decodes without fetch', async () => {
    const { scanCccdQr } = await import('../../src/scan/node/index.ts');
    const payload = syntheticPayload(42);
    const result = await scanCccdQr(renderQrFrame(payload, { seed: 42 }), { decoder: 'zxing' });
    expect(result?.text).toBe(payload);
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});
