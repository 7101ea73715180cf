/**
 * @module
 * The pure-JavaScript fallback decoder (jsQR). Slower and less robust than zxing-wasm on
 * camera frames, but needs no WebAssembly. Imported lazily on first use.
 */
import { ScanError } from './scan-error.ts';
import type { QrByteDecoder } from './zxing-decoder.ts';

let loading: Promise<QrByteDecoder> | undefined;

type JsQr = typeof import('jsqr')['default'];

/**
 * Loads (once) the jsQR decoder.
 * @throws {ScanError} `DECODER_UNAVAILABLE`
 */
export function loadJsqrDecoder(): Promise<QrByteDecoder> {
  loading ??= import('jsqr').then(
    (m) => {
      // jsqr is CommonJS: depending on the bundler the function is `default` or `default.default`.
      const d = m.default as JsQr | { default: JsQr };
      const jsQR: JsQr = typeof d === 'function' ? d : d.default;
      return async (rgba, width, height) => {
        const r = jsQR(rgba, width, height, { inversionAttempts: 'attemptBoth' });
        return r === null ? [] : [Uint8Array.from(r.binaryData)];
      };
    },
    (cause: unknown) => {
      throw new ScanError('DECODER_UNAVAILABLE', 'The jsQR decoder could not be loaded', {
        cause,
        context: { decoder: 'jsqr' },
      });
    },
  );
  return loading;
}
