/**
 * @module
 * DG11 "additional personal details" and DG12 "additional document details" (ICAO Doc 9303
 * Part 10 §4.7.11 and §4.7.12): a tag list `5C` then optional `5Fxx` elements and an `A0`
 * group of repeated names. Text is UTF-8 (Latin-1 when not valid UTF-8, as older passports
 * write it); multi-part values use `<` as separator; dates may be partial or BCD.
 */
import { findAllTlv, findTlv, type Tlv } from '@vneid/core/tlv';
import { childrenOf, decodeFile, integerOf, structure } from './lds-tlv.ts';
import { type PartialDate, parsePartialDate } from './partial-date.ts';

/** DG11's outer tag. */
export const DG11_TAG = 0x6b;
/** DG12's outer tag. */
export const DG12_TAG = 0x6c;

/** An element this parser does not interpret, kept as read. */
export interface UnknownElement {
  tag: number;
  value: Uint8Array;
}

/** Parsed DG11. */
export interface Dg11 {
  raw: Uint8Array;
  /** The tag list (5C) as stored. */
  tags: number[];
  /** 5F0E, `<<` between primary and secondary identifiers kept as stored. */
  fullName?: string;
  /** 5F0F inside A0. */
  otherNames: string[];
  /** 5F10. */
  personalNumber?: string;
  /** 5F2B. */
  fullDateOfBirth?: PartialDate;
  /** 5F2B bytes when they are no date form this parser knows. */
  fullDateOfBirthText?: string;
  /** 5F11, split on `<`. */
  placeOfBirth?: string[];
  /** 5F42, split on `<`. */
  permanentAddress?: string[];
  /** 5F12. */
  telephone?: string;
  /** 5F13. */
  profession?: string;
  /** 5F14. */
  title?: string;
  /** 5F15. */
  personalSummary?: string;
  /** 5F16: an image of the proof of citizenship. */
  proofOfCitizenship?: Uint8Array;
  /** 5F17, split on `<`. */
  otherValidTdNumbers?: string[];
  /** 5F18. */
  custodyInformation?: string;
  unknownElements: UnknownElement[];
}

/** Parsed DG12. */
export interface Dg12 {
  raw: Uint8Array;
  tags: number[];
  /** 5F19. */
  issuingAuthority?: string;
  /** 5F26. */
  dateOfIssue?: PartialDate;
  dateOfIssueText?: string;
  /** 5F1A inside A0. */
  otherPersons: string[];
  /** 5F1B. */
  endorsements?: string;
  /** 5F1C. */
  taxOrExitRequirements?: string;
  /** 5F1D, 5F1E: images of the document's front and rear. */
  imageOfFront?: Uint8Array;
  imageOfRear?: Uint8Array;
  /** 5F55 (`YYYYMMDDhhmmss`, or BCD). */
  personalizationTime?: string;
  /** 5F56. */
  personalizationDeviceSerial?: string;
  unknownElements: UnknownElement[];
}

let latin1: TextDecoder | undefined;
const strict = new TextDecoder('utf-8', { fatal: true });

function text(value: Uint8Array): string {
  try {
    return strict.decode(value).normalize('NFC');
  } catch {
    latin1 ??= new TextDecoder('latin1');
    return latin1.decode(value).normalize('NFC');
  }
}

const split = (s: string): string[] => s.split('<').filter((p) => p !== '');

function bcdOrText(value: Uint8Array): string {
  if (value.every((b) => b >> 4 <= 9 && (b & 0x0f) <= 9) && value.length === 7) {
    return [...value].map((b) => b.toString(16).padStart(2, '0')).join('');
  }
  return text(value);
}

function names(group: Tlv | undefined, tag: number, file: string): string[] {
  if (group === undefined) return [];
  const items = childrenOf(group, 0xa0, file, 'the A0 group');
  const count = integerOf(items[0], file, 'the A0 count');
  const values = findAllTlv(items, tag);
  structure(
    values.length === count,
    file,
    `the A0 group declares ${count} name(s) and holds ${values.length}`,
    {
      expected: count,
      actual: values.length,
    },
  );
  return values.map((v) => text(v.value));
}

function tagList(children: readonly Tlv[]): number[] {
  const list = findTlv(children, 0x5c);
  return list === undefined ? [] : [...list.value];
}

/** What tells DG11 and DG12 apart for {@link parseDetails}. */
interface DetailsLayout<T> {
  file: 'DG11' | 'DG12';
  outerTag: number;
  /** Tag of one name in the `A0` group; also accepted on its own outside the group. */
  nameTag: number;
  create(raw: Uint8Array, tags: number[]): T;
  names(dg: T): string[];
  /** Stores a `5Fxx` element; false for a tag the data group does not define. */
  set(dg: T, tag: number, value: Uint8Array): boolean;
}

/** The loop DG11 and DG12 share: `5C` skipped, `A0` and name elements collected, the rest by tag. */
function parseDetails<T extends { unknownElements: UnknownElement[] }>(
  bytes: Uint8Array,
  layout: DetailsLayout<T>,
): T {
  const { file, outerTag, nameTag } = layout;
  const children = childrenOf(decodeFile(bytes, file, outerTag), outerTag, file, file);
  const dg = layout.create(bytes, tagList(children));
  for (const el of children) {
    const v = el.value;
    if (el.tag === 0x5c) continue;
    if (el.tag === 0xa0) layout.names(dg).push(...names(el, nameTag, file));
    else if (el.tag === nameTag) layout.names(dg).push(text(v));
    else if (!layout.set(dg, el.tag, v)) dg.unknownElements.push({ tag: el.tag, value: v });
  }
  return dg;
}

const DG11_LAYOUT: DetailsLayout<Dg11> = {
  file: 'DG11',
  outerTag: DG11_TAG,
  nameTag: 0x5f0f,
  create: (raw, tags) => ({ raw, tags, otherNames: [], unknownElements: [] }),
  names: (dg) => dg.otherNames,
  set(dg, tag, v) {
    switch (tag) {
      case 0x5f0e:
        dg.fullName = text(v);
        break;
      case 0x5f10:
        dg.personalNumber = text(v);
        break;
      case 0x5f2b: {
        const date = parsePartialDate(v);
        if (date) dg.fullDateOfBirth = date;
        else dg.fullDateOfBirthText = text(v);
        break;
      }
      case 0x5f11:
        dg.placeOfBirth = split(text(v));
        break;
      case 0x5f42:
        dg.permanentAddress = split(text(v));
        break;
      case 0x5f12:
        dg.telephone = text(v);
        break;
      case 0x5f13:
        dg.profession = text(v);
        break;
      case 0x5f14:
        dg.title = text(v);
        break;
      case 0x5f15:
        dg.personalSummary = text(v);
        break;
      case 0x5f16:
        dg.proofOfCitizenship = v;
        break;
      case 0x5f17:
        dg.otherValidTdNumbers = split(text(v));
        break;
      case 0x5f18:
        dg.custodyInformation = text(v);
        break;
      default:
        return false;
    }
    return true;
  },
};

const DG12_LAYOUT: DetailsLayout<Dg12> = {
  file: 'DG12',
  outerTag: DG12_TAG,
  nameTag: 0x5f1a,
  create: (raw, tags) => ({ raw, tags, otherPersons: [], unknownElements: [] }),
  names: (dg) => dg.otherPersons,
  set(dg, tag, v) {
    switch (tag) {
      case 0x5f19:
        dg.issuingAuthority = text(v);
        break;
      case 0x5f26: {
        const date = parsePartialDate(v);
        if (date) dg.dateOfIssue = date;
        else dg.dateOfIssueText = text(v);
        break;
      }
      case 0x5f1b:
        dg.endorsements = text(v);
        break;
      case 0x5f1c:
        dg.taxOrExitRequirements = text(v);
        break;
      case 0x5f1d:
        dg.imageOfFront = v;
        break;
      case 0x5f1e:
        dg.imageOfRear = v;
        break;
      case 0x5f55:
        dg.personalizationTime = bcdOrText(v);
        break;
      case 0x5f56:
        dg.personalizationDeviceSerial = text(v);
        break;
      default:
        return false;
    }
    return true;
  },
};

/**
 * Parses DG11.
 * @throws {LdsError} `LDS_INVALID_INPUT`, `LDS_INVALID_TLV`, `LDS_UNEXPECTED_TAG`,
 *   `LDS_TRAILING_BYTES`, `LDS_INVALID_STRUCTURE`
 */
export function parseDg11(bytes: Uint8Array): Dg11 {
  return parseDetails(bytes, DG11_LAYOUT);
}

/**
 * Parses DG12.
 * @throws {LdsError} `LDS_INVALID_INPUT`, `LDS_INVALID_TLV`, `LDS_UNEXPECTED_TAG`,
 *   `LDS_TRAILING_BYTES`, `LDS_INVALID_STRUCTURE`
 */
export function parseDg12(bytes: Uint8Array): Dg12 {
  return parseDetails(bytes, DG12_LAYOUT);
}
