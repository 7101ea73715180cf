/**
 * @module
 * The default decoder: ZXing-C++ compiled to WebAssembly (`zxing-wasm/reader`). Its own
 * default fetches the `.wasm` from a CDN, which fails offline and is unacceptable for an
 * identity SDK: the module is always prepared here with the wasm bytes we load ourselves
 * (from our package, or bytes the caller passes) and a `locateFile` that never names a CDN.
 * The JavaScript glue is imported lazily on the first scan.
 */
import { ScanError } from './scan-error.ts';

/** Where the zxing-wasm binary comes from: bytes, or a URL fetched with `fetch`. */
export type WasmSource = ArrayBuffer | Uint8Array | URL | string;

/**
 * A loaded decoder: returns the raw bytes of every QR code found. `pass` is `frame` for a
 * camera frame as it came, `enhanced` for the scanner's sharpened crop of one region (already
 * upright-agnostic and enlarged: no rotations, inversions or downscaling are tried on it).
 */
export type QrByteDecoder = (
  rgba: Uint8ClampedArray,
  width: number,
  height: number,
  pass?: 'frame' | 'enhanced',
) => Promise<Uint8Array[]>;

/** zxing-wasm reader options of the first pass (the frame as it came). */
const FRAME_OPTIONS = {
  formats: ['QRCode'],
  tryHarder: true,
  tryRotate: true,
  tryInvert: true,
  tryDownscale: true,
  maxNumberOfSymbols: 4,
  textMode: 'Plain',
} as const;

/**
 * Options of the second pass: one sharpened, enlarged crop, dark modules on light, searched
 * without tryHarder (as many frames rescued on the tuning sets, at less cost).
 */
const ENHANCED_OPTIONS = {
  ...FRAME_OPTIONS,
  tryHarder: false,
  tryRotate: false,
  tryInvert: false,
  tryDownscale: false,
} as const;

/**
 * Loaded decoders by source, least recently used first. Bounded: a caller passing fresh wasm
 * bytes on every scan must not pile up copies of the ~1 MB binary (each entry holds one).
 * Failed loads are dropped at once, so that they neither occupy a slot nor stick.
 */
const loads = new Map<unknown, Promise<QrByteDecoder>>();
/** At most this many wasm sources stay cached (one is the usual case). */
export const MAX_CACHED_WASM_SOURCES = 4;

/** Number of wasm sources currently cached (for tests of the bound). */
export function cachedWasmSources(): number {
  return loads.size;
}

async function wasmBytes(source: WasmSource): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  const url = source instanceof URL ? source : new URL(source, globalThis.location?.href);
  if (url.protocol === 'file:') {
    throw new ScanError(
      'DECODER_UNAVAILABLE',
      "Cannot fetch a file: URL for the zxing wasm; in Node import scanCccdQr from '@vneid/core/scan/node' or pass options.wasm as bytes",
      { context: { decoder: 'zxing' } },
    );
  }
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) {
    throw new ScanError(
      'DECODER_UNAVAILABLE',
      `Fetching the zxing wasm failed with HTTP ${response.status}`,
      {
        context: { decoder: 'zxing' },
      },
    );
  }
  return new Uint8Array(await response.arrayBuffer());
}

async function load(source: WasmSource): Promise<QrByteDecoder> {
  const zxing = await import('zxing-wasm/reader');
  const wasmBinary = await wasmBytes(source);
  const wasmBinaryBuffer = wasmBinary.buffer.slice(
    wasmBinary.byteOffset,
    wasmBinary.byteOffset + wasmBinary.byteLength,
  ) as ArrayBuffer;
  // zxing-wasm keeps one module per factory, keyed by its overrides: re-assert ours before
  // every read (a no-op while they are the cached ones) so that another source prepared in
  // between, or a failed one, is never used. locateFile keeps it off any CDN.
  const overrides = { wasmBinary: wasmBinaryBuffer, locateFile: (path: string) => path };
  await zxing.prepareZXingModule({ overrides, fireImmediately: true });
  return async (rgba, width, height, pass = 'frame') => {
    zxing.prepareZXingModule({ overrides, fireImmediately: false });
    const results = await zxing.readBarcodes(
      { data: rgba, width, height, colorSpace: 'srgb' } as ImageData,
      pass === 'enhanced'
        ? { ...ENHANCED_OPTIONS, formats: [...ENHANCED_OPTIONS.formats] }
        : { ...FRAME_OPTIONS, formats: [...FRAME_OPTIONS.formats] },
    );
    return results.filter((r) => r.isValid).map((r) => r.bytes);
  };
}

/**
 * Loads (once per source) the zxing-wasm decoder.
 * @throws {ScanError} `DECODER_UNAVAILABLE`
 */
export function loadZxingDecoder(source: WasmSource): Promise<QrByteDecoder> {
  // URLs are keyed by their text (a fresh URL object per call must not reload the wasm).
  const key = source instanceof URL ? source.href : source;
  let p = loads.get(key);
  if (p !== undefined) {
    // Most recently used goes last.
    loads.delete(key);
    loads.set(key, p);
    return p;
  }
  const loading: Promise<QrByteDecoder> = load(source).catch((cause: unknown) => {
    if (loads.get(key) === loading) loads.delete(key);
    if (cause instanceof ScanError) throw cause;
    throw new ScanError('DECODER_UNAVAILABLE', 'The zxing-wasm decoder could not be loaded', {
      cause,
      context: { decoder: 'zxing' },
    });
  });
  p = loading;
  loads.set(key, p);
  while (loads.size > MAX_CACHED_WASM_SOURCES) {
    const oldest = loads.keys().next().value;
    loads.delete(oldest);
  }
  return p;
}
