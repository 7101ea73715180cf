/**
 * @module
 * DG2, the encoded face (ICAO Doc 9303 Part 10 §4.7.2 and ISO/IEC 7816-11 biometric
 * templates): `75 { 7F61 { 02 count, 7F60 { A1 header, 5F2E | 7F2E data } … } }`. The data is
 * an ISO/IEC 19794-5 facial record (`FAC\0`, versions 010 = 2005 and 030 = 2011) in `5F2E`, or
 * an ISO/IEC 39794-5:2019 FaceImageDataBlock (DER, `[APPLICATION 5]`) in `7F2E`. Image type and
 * dimensions come from the image itself (see face-image.ts); header values are reported
 * separately with a flag when they disagree. A record whose lengths run past its container is
 * `LDS_TRUNCATED_RECORD`; one that leaves bytes unaccounted for is `LDS_RECORD_LENGTH_MISMATCH`.
 * An image whose own headers are unreadable is not an error: the face is returned with
 * `imageProblem` set, so that the rest of the card can still be read and verified.
 * Inside DG2, what real documents carry is tolerated and reported in `warnings`: non-minimal
 * BER lengths (see biometric-template-tlv.ts) and up to {@link DG2_MAX_SLACK} bytes of slack
 * after the biometric data block or after the 19794-5 record inside `5F2E`. The bare-record
 * parsers stay strict. The 19794-5:2011 (030) layout follows ISO/IEC 19794-5:2011 Table 2 as
 * described by public implementations (general header 17 bytes; representation: length 4,
 * capture date/time 9, device technology 1, vendor 2, type 2, quality blocks 1 + 5·n; facial
 * information 17; landmark points 8 each; image information 11; image data length 4; image).
 */
import { decodeTlv, encodeInteger, encodeTlv, type Tlv } from '@vneid/core/tlv';
import {
  DG2_MAX_SLACK,
  type Dg2Warning,
  decodeTemplateDer,
  readTemplateChildren,
  readTemplateTlv,
  type TemplateTlv,
} from './biometric-template-tlv.ts';
import {
  type FaceImageInfo,
  type FaceImageProblem,
  type FaceImageType,
  inspectFaceImage,
} from './face-image.ts';
import { LdsError } from './lds-error.ts';
import { assertBytes, assertInput, childrenOf, guard, hexTag, structure, tlvFailure } from './lds-tlv.ts';

export { DG2_MAX_SLACK, type Dg2Warning } from './biometric-template-tlv.ts';

const FILE = 'DG2';
/** DG2's outer tag. */
export const DG2_TAG = 0x75;

/** Image data types a face record's header can declare. */
export type FaceHeaderImageType = 'jpeg' | 'jpeg2000' | 'png' | 'unknown';

/** Values read from the biometric record's own header (not from the image). */
export interface FaceRecordHeader {
  /** `010`, `030` (19794-5) or the 39794-5 version block as `generation/year` (`3/2019`). */
  version: string;
  /** Declared image data type. */
  imageDataType: FaceHeaderImageType;
  /** The raw image data type code. */
  imageDataTypeCode: number | null;
  /** Declared width and height (null when the record has none). */
  width: number | null;
  height: number | null;
  /** 19794-5 face image type (0 basic, 1 full frontal, 2 token frontal …), when present. */
  faceImageType?: number;
  /** 19794-5 gender code (0 unspecified, 1 male, 2 female, 3 unknown), when present. */
  gender?: number;
  /** 19794-5 eye and hair colour codes, when present. */
  eyeColour?: number;
  hairColour?: number;
  /** 19794-5 expression code, when present. */
  expression?: number;
  /** 19794-5:2011 subject height code, when present. */
  subjectHeight?: number;
  /** 19794-5 number of feature (landmark) points. */
  featurePoints?: number;
  /** 19794-5 image colour space code. */
  colourSpace?: number;
}

/** The biometric header template (`A1`) of one biometric information template. */
export interface BiometricHeader {
  /** Format owner (`87`), e.g. `0x0101` (ISO/IEC JTC 1/SC 37). */
  formatOwner?: number;
  /** Format type (`88`): `0x0008` for 19794-5, `0x002A` for 39794-5. */
  formatType?: number;
  /** Biometric type (`81`): 2 = face. */
  biometricType?: number;
  /** Biometric subtype (`82`). */
  biometricSubtype?: number;
  /** The template's exact bytes. */
  raw: Uint8Array;
}

/** One face image of DG2. */
export interface Face {
  format: '19794-5' | '39794-5';
  /** The image type read from the image bytes. */
  imageType: FaceImageType;
  /** `jfif`, `exif`, `jpeg`, `jp2`, `j2k`, or null when unrecognised. */
  imageContainer: FaceImageInfo['container'];
  /** The image bytes (a view into the file). */
  image: Uint8Array;
  /** Pixel dimensions from the image itself; null when they could not be read. */
  width: number | null;
  height: number | null;
  /** Why the image's own headers could not be read (the face is still returned). */
  imageProblem?: FaceImageProblem;
  /** What the record header declares. */
  header: FaceRecordHeader;
  /** True when the header's type or dimensions disagree with the image (the image wins). */
  headerMismatch: boolean;
  /** The biometric header template, when the face came from DG2. */
  biometricHeader?: BiometricHeader;
}

/** Parsed DG2. */
export interface Dg2 {
  /** The file exactly as read. */
  raw: Uint8Array;
  faces: Face[];
  /** What was tolerated while reading (non-minimal lengths, slack); empty for a clean file. */
  warnings: Dg2Warning[];
}

/** Input of {@link buildDg2}. */
export interface Dg2Values {
  image: Uint8Array;
  /** The width and height to declare in the 19794-5 header. */
  width: number;
  height: number;
  imageType: 'jpeg' | 'jpeg2000';
  /** The 19794-5 record version: `010` (2005, default) or `030` (2011). */
  version?: '010' | '030';
}

const u16 = (b: Uint8Array, i: number): number => ((b[i] as number) << 8) | (b[i + 1] as number);
const u32 = (b: Uint8Array, i: number): number => u16(b, i) * 0x10000 + u16(b, i + 2);

function truncated(file: string, offset: number, expected: number, actual: number): LdsError {
  return new LdsError(
    'LDS_TRUNCATED_RECORD',
    `${file}: the face record ends before the lengths it declares`,
    {
      context: { file, offset, expected, actual },
    },
  );
}

function mismatch(file: string, offset: number, expected: number, actual: number): LdsError {
  return new LdsError(
    'LDS_RECORD_LENGTH_MISMATCH',
    `${file}: the face record declares ${expected} bytes, its container holds ${actual}`,
    {
      context: { file, offset, expected, actual },
    },
  );
}

function makeFace(format: Face['format'], image: Uint8Array, header: FaceRecordHeader): Face {
  const info = inspectFaceImage(image);
  const typeDisagrees =
    (header.imageDataType === 'jpeg' ||
      header.imageDataType === 'jpeg2000' ||
      header.imageDataType === 'png') &&
    header.imageDataType !== info.type;
  const sizeDisagrees =
    (info.width !== null && header.width !== null && header.width !== 0 && header.width !== info.width) ||
    (info.height !== null && header.height !== null && header.height !== 0 && header.height !== info.height);
  const face: Face = {
    format,
    imageType: info.type,
    imageContainer: info.container,
    image,
    width: info.width,
    height: info.height,
    header,
    headerMismatch: typeDisagrees || sizeDisagrees,
  };
  if (info.problem !== undefined) face.imageProblem = info.problem;
  return face;
}

const TYPE_010: readonly FaceHeaderImageType[] = ['jpeg', 'jpeg2000'];
const TYPE_030: readonly FaceHeaderImageType[] = ['jpeg', 'jpeg2000', 'jpeg2000', 'png'];

/**
 * Parses an ISO/IEC 19794-5 facial record (`FAC\0`, version 010 or 030) into its faces. The
 * record must fill `record` exactly (DG2 tolerates slack after it; this bare parser does not).
 * @throws {LdsError} `LDS_INVALID_INPUT`, `LDS_UNSUPPORTED_FORMAT`, `LDS_TRUNCATED_RECORD`,
 *   `LDS_RECORD_LENGTH_MISMATCH`
 */
export function parseFaceRecord19794(record: Uint8Array, file = 'ISO 19794-5'): Face[] {
  return readFaceRecord19794(record, file, null);
}

/**
 * The 19794-5 record reader. With `slack` (DG2), a container up to {@link DG2_MAX_SLACK} bytes
 * longer than the record's declared length is accepted and reported at `slack.base` + offset.
 */
function readFaceRecord19794(
  record: Uint8Array,
  file: string,
  slack: { warnings: Dg2Warning[]; base: number } | null,
): Face[] {
  if (!(record instanceof Uint8Array)) {
    throw new LdsError('LDS_INVALID_INPUT', `${file}: expected a Uint8Array`, { context: { file } });
  }
  if (record.length < 8) throw truncated(file, 0, 8, record.length);
  if (u32(record, 0) !== 0x46414300) {
    throw new LdsError('LDS_UNSUPPORTED_FORMAT', `${file}: not an ISO/IEC 19794-5 record (no FAC header)`, {
      context: { file, offset: 0 },
    });
  }
  const version = String.fromCharCode(record[4] as number, record[5] as number, record[6] as number);
  if ((version !== '010' && version !== '030') || record[7] !== 0) {
    throw new LdsError('LDS_UNSUPPORTED_FORMAT', `${file}: unsupported 19794-5 version`, {
      context: { file, offset: 4 },
    });
  }
  // General header: 14 bytes in 2005 (§5.4); 2011 adds certification flag 1 and temporal semantics 2.
  const headerLength = version === '010' ? 14 : 17;
  if (record.length < headerLength) throw truncated(file, 0, headerLength, record.length);
  const declared = u32(record, 8);
  if (declared > record.length) throw truncated(file, 8, declared, record.length);
  let end = record.length;
  if (declared !== record.length) {
    const extra = record.length - declared;
    if (slack === null || extra > DG2_MAX_SLACK || declared < headerLength) {
      throw mismatch(file, 8, declared, record.length);
    }
    slack.warnings.push({ code: 'LDS_BIOMETRIC_SLACK', offset: slack.base + declared, length: extra });
    end = declared;
  }
  const count = u16(record, 12);
  const faces: Face[] = [];
  let pos = headerLength;
  for (let n = 0; n < count; n++) {
    if (pos + 4 > end) throw truncated(file, pos, pos + 4, end);
    const length = u32(record, pos);
    const faceEnd = pos + length;
    if (faceEnd > record.length) throw truncated(file, pos, length, record.length - pos);
    // Within the container but past the declared record: the declared length is what is wrong.
    if (faceEnd > end) throw mismatch(file, 8, declared, faceEnd);
    faces.push(version === '010' ? face010(record, pos, faceEnd, file) : face030(record, pos, faceEnd, file));
    pos = faceEnd;
  }
  if (pos !== end) throw mismatch(file, pos, pos, end);
  return faces;
}

function face010(b: Uint8Array, start: number, end: number, file: string): Face {
  // Facial information 20 bytes, feature points 8 each, image information 12 bytes (19794-5:2005 §5.5–5.7).
  if (end - start < 32) throw truncated(file, start, 32, end - start);
  const points = u16(b, start + 4);
  const info = start + 20 + 8 * points;
  if (info + 12 > end) throw truncated(file, start, info + 12 - start, end - start);
  const code = b[info + 1] as number;
  const header: FaceRecordHeader = {
    version: '010',
    imageDataType: TYPE_010[code] ?? 'unknown',
    imageDataTypeCode: code,
    width: u16(b, info + 2),
    height: u16(b, info + 4),
    faceImageType: b[info] as number,
    gender: b[start + 6] as number,
    eyeColour: b[start + 7] as number,
    hairColour: b[start + 8] as number,
    expression: u16(b, start + 12),
    featurePoints: points,
    colourSpace: b[info + 6] as number,
  };
  return makeFace('19794-5', b.subarray(info + 12, end), header);
}

function face030(b: Uint8Array, start: number, end: number, file: string): Face {
  // ISO/IEC 19794-5:2011 Table 2, checked against mosip/bio-utils face/RepresentationHeader,
  // FacialInformation, ImageInformation and ImageData (readObject and their byte counts):
  // representation length 4, capture date/time 9, device technology 1, vendor 2, type 2,
  // quality block count 1 (+5 each); facial information 17 = landmark count 2, gender 1, eye 1,
  // hair 1, subject height 1, property mask 3, expression 2, pose angle 3 + uncertainty 3;
  // landmark points 8 each; image information 11 = face image type 1, image data type 1,
  // width 2, height 2, spatial sampling rate 1, post-acquisition processing 2, cross reference 1,
  // colour space 1; then image data length 4 and the image (3D data may follow it).
  let p = start + 4 + 9 + 1 + 2 + 2;
  if (p + 1 > end) throw truncated(file, start, p + 1 - start, end - start);
  p += 1 + 5 * (b[p] as number);
  const info = p;
  if (info + 17 > end) throw truncated(file, start, info + 17 - start, end - start);
  const landmarks = u16(b, info);
  p = info + 17 + 8 * landmarks;
  if (p + 11 + 4 > end) throw truncated(file, start, p + 15 - start, end - start);
  const code = b[p + 1] as number;
  const header: FaceRecordHeader = {
    version: '030',
    imageDataType: TYPE_030[code] ?? 'unknown',
    imageDataTypeCode: code,
    width: u16(b, p + 2),
    height: u16(b, p + 4),
    faceImageType: b[p] as number,
    gender: b[info + 2] as number,
    eyeColour: b[info + 3] as number,
    hairColour: b[info + 4] as number,
    subjectHeight: b[info + 5] as number,
    expression: u16(b, info + 9),
    featurePoints: landmarks,
    colourSpace: b[p + 10] as number,
  };
  const imageStart = p + 11 + 4;
  const imageLength = u32(b, p + 11);
  if (imageLength > end - imageStart) throw truncated(file, p + 11, imageLength, end - imageStart);
  return makeFace('19794-5', b.subarray(imageStart, imageStart + imageLength), header);
}

const FORMAT_39794: readonly FaceHeaderImageType[] = [
  'unknown',
  'unknown',
  'jpeg',
  'jpeg2000',
  'jpeg2000',
  'png',
];

function ctxInt(tlv: Tlv | undefined): number | null {
  if (tlv === undefined || tlv.children !== undefined || tlv.value.length === 0 || tlv.value.length > 6)
    return null;
  let n = 0;
  for (const byte of tlv.value) n = n * 256 + byte;
  return n;
}

const child = (tlv: Tlv | undefined, tag: number): Tlv | undefined =>
  tlv?.children?.find((c) => c.tag === tag);

/**
 * Parses an ISO/IEC 39794-5 FaceImageDataBlock (DER `65 …`, possibly inside the `A1` of a
 * 7F2E) into its 2D faces.
 * @throws {LdsError} `LDS_INVALID_INPUT`, `LDS_INVALID_TLV`, `LDS_INVALID_STRUCTURE`,
 *   `LDS_UNSUPPORTED_FORMAT`
 */
export function parseFaceImageDataBlock39794(block: Uint8Array | Tlv, file = 'ISO 39794-5'): Face[] {
  let root: Tlv;
  if (block instanceof Uint8Array) {
    try {
      root = decodeTlv(block);
    } catch (cause) {
      throw tlvFailure(cause, file);
    }
  } else if (block !== null && typeof block === 'object' && 'tag' in block) {
    root = block;
  } else {
    throw new LdsError('LDS_INVALID_INPUT', `${file}: expected a Uint8Array`, { context: { file } });
  }
  if (root.tag === 0xa1 && root.children?.length === 1) root = root.children[0] as Tlv;
  structure(root.tag === 0x65 && root.children !== undefined, file, 'expected a FaceImageDataBlock (65)', {
    tag: root.tag,
  });
  const versionBlock = child(root, 0xa0);
  const version = `${ctxInt(child(versionBlock, 0x80)) ?? '?'}/${ctxInt(child(versionBlock, 0x81)) ?? '?'}`;
  const reps = childrenOf(child(root, 0xa1), 0xa1, file, 'the representation blocks');
  return reps.map((rep) => {
    structure(
      rep.tag === 0x30 && rep.children !== undefined,
      file,
      'a representation block must be a SEQUENCE',
      { offset: rep.offset },
    );
    const representation = child(rep, 0xa1);
    structure(representation !== undefined, file, 'a representation block has no image representation', {
      offset: rep.offset,
    });
    // ImageRepresentation ::= CHOICE { base2D [0] …, … }; base2D wraps the 2D block in [0].
    const choice = child(representation, 0xa0);
    const twoD = child(choice, 0x80) === undefined ? child(choice, 0xa0) : choice;
    if (twoD === undefined) {
      throw new LdsError('LDS_UNSUPPORTED_FORMAT', `${file}: only 2D face representations are supported`, {
        context: { file, offset: representation.offset },
      });
    }
    const data = child(twoD, 0x80);
    structure(
      data !== undefined && data.children === undefined,
      file,
      'a 2D representation has no image data',
      { offset: twoD.offset },
    );
    const info = child(twoD, 0xa1);
    const formatBlock = child(info, 0xa0);
    const code = ctxInt(child(formatBlock, 0x80));
    const size = child(info, 0xa7);
    const header: FaceRecordHeader = {
      version,
      imageDataType: code === null ? 'unknown' : (FORMAT_39794[code] ?? 'unknown'),
      imageDataTypeCode: code,
      width: ctxInt(child(size, 0x80)),
      height: ctxInt(child(size, 0x81)),
    };
    return makeFace('39794-5', data.value, header);
  });
}

/** Value of a small primitive (at most 6 bytes) read leniently, or null. */
function smallInt(tlv: TemplateTlv | undefined): number | null {
  if (tlv === undefined || tlv.constructed || tlv.value.length === 0 || tlv.value.length > 6) return null;
  let n = 0;
  for (const byte of tlv.value) n = n * 256 + byte;
  return n;
}

function parseBiometricHeader(bytes: Uint8Array, tlv: TemplateTlv, warnings: Dg2Warning[]): BiometricHeader {
  const items = readTemplateChildren(bytes, tlv.valueStart, tlv.end, FILE, warnings);
  const find = (tag: number): TemplateTlv | undefined => items.find((i) => i.tag === tag);
  const bht: BiometricHeader = { raw: tlv.raw };
  const owner = smallInt(find(0x87));
  const type = smallInt(find(0x88));
  const bio = smallInt(find(0x81));
  const sub = smallInt(find(0x82));
  if (owner !== null) bht.formatOwner = owner;
  if (type !== null) bht.formatType = type;
  if (bio !== null) bht.biometricType = bio;
  if (sub !== null) bht.biometricSubtype = sub;
  return bht;
}

/** The constructed children of `tlv`, which must carry `tag`. */
function constructedChildren(
  bytes: Uint8Array,
  tlv: TemplateTlv | undefined,
  tag: number,
  what: string,
  warnings: Dg2Warning[],
  slackAfter: readonly number[] = [],
): TemplateTlv[] {
  structure(tlv !== undefined, FILE, `missing ${what}`);
  structure(
    tlv.tag === tag && tlv.constructed,
    FILE,
    `expected ${what} (tag ${hexTag(tag)}), got tag ${hexTag(tlv.tag)}`,
    { tag: tlv.tag, offset: tlv.offset },
  );
  return readTemplateChildren(bytes, tlv.valueStart, tlv.end, FILE, warnings, slackAfter);
}

/** The number of templates (`02`) of a group, as a small non-negative INTEGER. */
function templateCount(tlv: TemplateTlv | undefined): number {
  structure(
    tlv !== undefined && tlv.tag === 0x02 && !tlv.constructed,
    FILE,
    'expected the number of templates (tag 02)',
    { tag: tlv?.tag, offset: tlv?.offset },
  );
  const v = tlv.value;
  structure(
    v.length >= 1 && v.length <= 4 && (v[0] as number) < 0x80 && !(v.length > 1 && v[0] === 0),
    FILE,
    'the number of templates is not a small non-negative INTEGER',
    { offset: tlv.offset },
  );
  let n = 0;
  for (const byte of v) n = n * 256 + byte;
  return n;
}

/** The faces of one biometric data block (`5F2E` 19794-5 record or `7F2E` 39794-5 block). */
function facesOfBlock(bytes: Uint8Array, block: TemplateTlv, warnings: Dg2Warning[]): Face[] {
  if (block.tag === 0x5f2e) {
    return readFaceRecord19794(block.value, FILE, { warnings, base: block.valueStart });
  }
  // The element's own header is reported by decodeTemplateDer below, with the rest of the block.
  const inner = readTemplateTlv(bytes, block.valueStart, block.end, FILE, []);
  const rest = block.end - inner.end;
  structure(rest <= DG2_MAX_SLACK, FILE, 'a 7F2E block must hold one element', { offset: block.offset });
  if (rest > 0) warnings.push({ code: 'LDS_BIOMETRIC_SLACK', offset: inner.end, length: rest });
  return parseFaceImageDataBlock39794(decodeTemplateDer(inner.raw, inner.offset, FILE, warnings), FILE);
}

/** Offset just past DG2's TLV; padding (all `00` or all `FF`) may follow it, as in decodeFile. */
function dg2Root(bytes: Uint8Array, warnings: Dg2Warning[]): TemplateTlv {
  assertBytes(bytes, FILE);
  const root = readTemplateTlv(bytes, 0, bytes.length, FILE, warnings);
  if (root.tag !== DG2_TAG) {
    throw new LdsError('LDS_UNEXPECTED_TAG', `${FILE}: expected tag 75, got ${hexTag(root.tag)}`, {
      context: { file: FILE, tag: root.tag },
    });
  }
  const pad = bytes[root.end];
  for (let i = root.end; i < bytes.length; i++) {
    if (bytes[i] !== pad || (pad !== 0x00 && pad !== 0xff)) {
      throw new LdsError(
        'LDS_TRAILING_BYTES',
        `${FILE}: ${bytes.length - root.end} unexpected byte(s) after the file's TLV`,
        { context: { file: FILE, offset: root.end } },
      );
    }
  }
  return root;
}

/**
 * Parses DG2 (every biometric information template, every face in it). Non-minimal lengths and
 * up to {@link DG2_MAX_SLACK} bytes of slack after a biometric data block are accepted and
 * listed in `warnings`.
 * @throws {LdsError} `LDS_INVALID_INPUT`, `LDS_INVALID_TLV`, `LDS_UNEXPECTED_TAG`,
 *   `LDS_TRAILING_BYTES`, `LDS_INVALID_STRUCTURE`, `LDS_UNSUPPORTED_FORMAT`,
 *   `LDS_TRUNCATED_RECORD`, `LDS_RECORD_LENGTH_MISMATCH`
 */
export function parseDg2(bytes: Uint8Array): Dg2 {
  const warnings: Dg2Warning[] = [];
  const root = dg2Root(bytes, warnings);
  const groups = constructedChildren(bytes, root, DG2_TAG, 'DG2', warnings);
  structure(groups.length >= 1, FILE, 'no biometric information template group');
  const faces: Face[] = [];
  for (const group of groups) {
    const items = constructedChildren(
      bytes,
      group,
      0x7f61,
      'the biometric information group template (7F61)',
      warnings,
    );
    const count = templateCount(items[0]);
    const templates = items.slice(1);
    structure(
      templates.length === count,
      FILE,
      `the group declares ${count} template(s) and holds ${templates.length}`,
      { expected: count, actual: templates.length },
    );
    for (const template of templates) {
      const parts = constructedChildren(
        bytes,
        template,
        0x7f60,
        'a biometric information template (7F60)',
        warnings,
        [0x5f2e, 0x7f2e],
      );
      const bht = parts.find((p) => p.tag === 0xa1);
      structure(bht?.constructed === true, FILE, 'a template has no biometric header template (A1)', {
        offset: template.offset,
      });
      const biometricHeader = parseBiometricHeader(bytes, bht, warnings);
      const block =
        parts.find((p) => p.tag === 0x5f2e && !p.constructed) ??
        parts.find((p) => p.tag === 0x7f2e && p.constructed);
      structure(block !== undefined, FILE, 'a template has no biometric data block (5F2E or 7F2E)', {
        offset: template.offset,
      });
      for (const face of facesOfBlock(bytes, block, warnings)) faces.push({ ...face, biometricHeader });
    }
  }
  return { raw: bytes, faces, warnings };
}

/** A 19794-5:2005 record: header 14, facial information 20 (unspecified), image information 12. */
function record010({ image, width, height, imageType }: Dg2Values): Uint8Array {
  const recordLength = 14 + 20 + 12 + image.length;
  const record = new Uint8Array(recordLength);
  const view = new DataView(record.buffer);
  record.set([0x46, 0x41, 0x43, 0x00, 0x30, 0x31, 0x30, 0x00]);
  view.setUint32(8, recordLength);
  view.setUint16(12, 1);
  view.setUint32(14, 20 + 12 + image.length);
  // Facial information left unspecified (0), image information: full frontal, RGB, digital still.
  const info = 14 + 20;
  record[info] = 1;
  record[info + 1] = imageType === 'jpeg' ? 0 : 1;
  view.setUint16(info + 2, width);
  view.setUint16(info + 4, height);
  record[info + 6] = 1;
  record[info + 7] = 2;
  record.set(image, info + 12);
  return record;
}

/**
 * A 19794-5:2011 record: general header 17, then one representation (length 4, capture
 * date/time 9, device 5, no quality block 1, facial information 17, no landmark, image
 * information 11, image data length 4, the image).
 */
function record030({ image, width, height, imageType }: Dg2Values): Uint8Array {
  const representation = 4 + 9 + 5 + 1 + 17 + 11 + 4 + image.length;
  const record = new Uint8Array(17 + representation);
  const view = new DataView(record.buffer);
  record.set([0x46, 0x41, 0x43, 0x00, 0x30, 0x33, 0x30, 0x00]);
  view.setUint32(8, record.length);
  view.setUint16(12, 1);
  // Certification flag 0, temporal semantics 0 (one representation); capture date/time unknown (0).
  view.setUint32(17, representation);
  const info = 17 + 4 + 9 + 5 + 1 + 17;
  record[info] = 1; // full frontal
  record[info + 1] = imageType === 'jpeg' ? 0 : 1;
  view.setUint16(info + 2, width);
  view.setUint16(info + 4, height);
  record[info + 10] = 1; // sRGB
  view.setUint32(info + 11, image.length);
  record.set(image, info + 15);
  return record;
}

/**
 * Builds a DG2 with one ISO/IEC 19794-5 face record (version 010, or 030 when asked) around `image`.
 * @throws {LdsError} `LDS_INVALID_INPUT` for dimensions outside 0–65535
 */
export function buildDg2(values: Dg2Values): Uint8Array {
  assertInput(typeof values === 'object' && values !== null, FILE, 'an object {image, width, height}');
  const { image, width, height } = values;
  const valid = (n: number): boolean => Number.isInteger(n) && n >= 0 && n <= 0xffff;
  if (!(image instanceof Uint8Array) || !valid(width) || !valid(height)) {
    throw new LdsError('LDS_INVALID_INPUT', 'DG2: expected image bytes and dimensions from 0 to 65535', {
      context: { file: FILE },
    });
  }
  assertInput(
    values.version === undefined || values.version === '010' || values.version === '030',
    FILE,
    "a 19794-5 version '010' or '030'",
  );
  const record = values.version === '030' ? record030(values) : record010(values);
  return guard(FILE, () =>
    encodeTlv(DG2_TAG, [
      encodeTlv(0x7f61, [
        encodeTlv(0x02, encodeInteger(1)),
        encodeTlv(0x7f60, [
          encodeTlv(0xa1, [
            Uint8Array.of(0x81, 0x01, 0x02),
            Uint8Array.of(0x82, 0x01, 0x00),
            Uint8Array.of(0x87, 0x02, 0x01, 0x01),
            Uint8Array.of(0x88, 0x02, 0x00, 0x08),
          ]),
          encodeTlv(0x5f2e, record),
        ]),
      ]),
    ]),
  );
}
