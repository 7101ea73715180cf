/**
 * @module
 * Finds the CCCD / Căn cước QR code in a camera frame and parses it (SPEC-NOTES §1). The
 * QR's raw bytes are decoded here with the strict UTF-8 decoder (never the decoder's own
 * charset guess), then handed to {@link parseCccdQr}. Shared by the browser entry
 * (`@vneid/core/scan`) and the Node entry (`@vneid/core/scan/node`), which differ only in
 * where the wasm comes from.
 */
import { decodeUtf8 } from '../bytes/index.ts';
import { type CccdQrData, CccdQrError, type ParseCccdQrOptions, parseCccdQr } from '../qr/index.ts';
import { type ScanImage, toRgba } from './image.ts';
import { loadJsqrDecoder } from './jsqr-decoder.ts';
import { ScanError } from './scan-error.ts';
import { loadZxingDecoder, type QrByteDecoder, type WasmSource } from './zxing-decoder.ts';

/** Options of `scanCccdQr`. */
export interface ScanCccdQrOptions {
  /**
   * `zxing` (zxing-wasm), `jsqr` (pure JS), or `auto` (default): zxing, and jsqr only when
   * the wasm cannot be loaded.
   */
  decoder?: 'zxing' | 'jsqr' | 'auto';
  /**
   * The zxing-wasm binary: bytes, or a URL to fetch. Defaults to the copy shipped in this
   * package (browsers) or read from disk (`@vneid/core/scan/node`). Never a CDN.
   */
  wasm?: WasmSource;
  /** Options for parsing the QR text (`mode`, `now`). */
  parse?: ParseCccdQrOptions;
  /**
   * When zxing finds nothing in the frame: look for the region dense with module-sized edges,
   * and decode a sharpened, enlarged crop of it (at most 3 more
   * decodes of that crop; none when no such region exists). Default true. Rescues blurred
   * 640×480 previews, alone or with noise, perspective or glare.
   */
  secondPass?: boolean;
}

/** Upper bound on the decodes of the second pass (one per sharpening recipe of `enhance.ts`). */
export const SECOND_PASS_ATTEMPTS = 3;

let enhance: Promise<typeof import('./enhance.ts')> | undefined;
/** The second pass's image code, loaded on the first frame that needs it (a lazy chunk in bundles). */
function loadEnhance(): Promise<typeof import('./enhance.ts')> {
  enhance ??= import('./enhance.ts');
  return enhance;
}

/** A QR code found in the frame. */
export interface ScanCccdQrResult {
  /**
   * The QR text (strict UTF-8). When the frame shows several QR codes, the one that parses as a
   * CCCD / Căn cước payload; if none does, the first one found.
   */
  text: string;
  /** The parsed payload, or why it is not a valid CCCD / Căn cước payload. */
  card: CccdQrData | CccdQrError;
  /** Which decoder read it. */
  decoder: 'zxing' | 'jsqr';
}

async function pickDecoder(
  options: ScanCccdQrOptions,
  defaultWasm: () => WasmSource,
): Promise<{ name: 'zxing' | 'jsqr'; decode: QrByteDecoder }> {
  const choice = options.decoder ?? 'auto';
  if (choice === 'jsqr') return { name: 'jsqr', decode: await loadJsqrDecoder() };
  if (choice !== 'zxing' && choice !== 'auto') {
    throw new ScanError('INVALID_OPTIONS', "Expected decoder 'zxing', 'jsqr' or 'auto'");
  }
  try {
    return { name: 'zxing', decode: await loadZxingDecoder(options.wasm ?? defaultWasm()) };
  } catch (e) {
    if (choice === 'auto' && e instanceof ScanError && e.code === 'DECODER_UNAVAILABLE') {
      return { name: 'jsqr', decode: await loadJsqrDecoder() };
    }
    throw e;
  }
}

/** Throws `INVALID_OPTIONS` unless `options` is an object (callers without TypeScript). */
export function assertScanOptions(options: unknown): void {
  if (typeof options !== 'object' || options === null) {
    throw new ScanError('INVALID_OPTIONS', 'Expected options to be an object');
  }
}

/** Implementation of `scanCccdQr` given the platform's default wasm source. */
export async function scanWithDefaults(
  image: ScanImage,
  options: ScanCccdQrOptions,
  defaultWasm: () => WasmSource,
): Promise<ScanCccdQrResult | null> {
  assertScanOptions(options);
  if (options.secondPass !== undefined && typeof options.secondPass !== 'boolean') {
    throw new ScanError('INVALID_OPTIONS', 'Expected options.secondPass to be a boolean');
  }
  const rgba = toRgba(image);
  const { name, decode } = await pickDecoder(options, defaultWasm);
  const run = async (data: Uint8ClampedArray, width: number, height: number, pass: 'frame' | 'enhanced') => {
    try {
      return await decode(data, width, height, pass);
    } catch (cause) {
      throw new ScanError('DECODER_FAILED', `The ${name} decoder failed on the frame`, {
        cause,
        context: { decoder: name, width: image.width, height: image.height },
      });
    }
  };
  let found = await run(rgba, image.width, image.height, 'frame');
  if (found.length === 0 && name === 'zxing' && options.secondPass !== false) {
    const { enhanceRegion, findSymbolRegion, greyToRgba } = await loadEnhance();
    const frame = { data: image.data, width: image.width, height: image.height };
    const region = findSymbolRegion(frame);
    if (region !== null) {
      for (let recipe = 0; recipe < SECOND_PASS_ATTEMPTS; recipe++) {
        // (enhance.ts has exactly SECOND_PASS_ATTEMPTS recipes; a test checks they agree.)
        const enhanced = enhanceRegion(frame, region, recipe);
        found = await run(greyToRgba(enhanced), enhanced.width, enhanced.height, 'enhanced');
        if (found.length > 0) break;
      }
    }
  }
  return pickCccd(found, name, options.parse);
}

/**
 * Of the QR codes found in one frame (a card beside a payment QR, a poster, a screen), the
 * first whose text parses as a CCCD / Căn cước payload; else the first UTF-8 one with its parse
 * error; else `NOT_UTF8`. Never simply whichever the decoder reported first.
 */
function pickCccd(
  found: readonly Uint8Array[],
  decoder: 'zxing' | 'jsqr',
  parse: ParseCccdQrOptions | undefined,
): ScanCccdQrResult | null {
  let fallback: ScanCccdQrResult | null = null;
  let notUtf8: { bytes: Uint8Array; cause: unknown } | null = null;
  for (const bytes of found) {
    let text: string;
    try {
      text = decodeUtf8(bytes);
    } catch (cause) {
      notUtf8 ??= { bytes, cause };
      continue;
    }
    let card: CccdQrData | CccdQrError;
    try {
      card = parseCccdQr(text, parse);
    } catch (e) {
      if (!(e instanceof CccdQrError)) throw e;
      card = e;
    }
    if (!(card instanceof CccdQrError)) return { text, card, decoder };
    fallback ??= { text, card, decoder };
  }
  if (fallback !== null || notUtf8 === null) return fallback;
  throw new ScanError('NOT_UTF8', 'The QR code found is not UTF-8 text', {
    cause: notUtf8.cause,
    context: { decoder, byteLength: notUtf8.bytes.length },
  });
}
