/**
 * @module
 * Synthetic Vietnamese citizens for the software chip: invented names in the "NGUYỄN VĂN A"
 * placeholder style (a family name, a middle name and a one-letter given name), an ID number
 * consistent with the birth province, sex and birth year (SPEC-NOTES §2), card dates following
 * the 2014 law's milestones (issued 2021 – mid 2024, the chip CCCD), all 16 DG13 fields
 * (SPEC-NOTES §4) and a schematic face JPEG. Deterministic for a given seed.
 */
import { centurySexDigit, PROVINCE_CODES } from '@vneid/core/id-number';
import { canFromIdNumber, expectedExpiry } from '@vneid/core/mrz';
import type { Dg13Fields } from '../lds/dg13.ts';
import { createFaceJpeg } from './jpeg.ts';
import { type SeededRandom, seededRandom } from './random.ts';

/** The face picture of a synthetic person. */
export interface SyntheticFace {
  /** Baseline JPEG bytes (JFIF). */
  jpeg: Uint8Array;
  width: number;
  height: number;
}

/** A fictional card holder; never a real person. Dates are ISO `YYYY-MM-DD`. */
export interface SyntheticPerson {
  /** The seed it was made from. */
  seed: number;
  /** 12-digit personal ID number (`PPP S YY RRRRRR`). */
  idNumber: string;
  /** Card Access Number: the last 6 digits of the ID. */
  can: string;
  /** Full name with diacritics, upper case, NFC (`NGUYỄN VĂN A`). */
  fullName: string;
  /** MRZ surname without diacritics (`NGUYEN`). */
  mrzSurname: string;
  /** MRZ given names without diacritics, words separated by spaces (`VAN A`). */
  mrzGivenNames: string;
  sex: 'male' | 'female';
  dateOfBirth: string;
  issueDate: string;
  /** Null: the card does not expire (holder over 58 when issued). */
  dateOfExpiry: string | null;
  nationality: string;
  ethnicity: string;
  religion: string;
  placeOfOrigin: string;
  /** Half the people have an address longer than 127 UTF-8 bytes: DG13 then needs long-form lengths. */
  placeOfResidence: string;
  identifyingMarks: string;
  fatherName: string;
  motherName: string;
  /** Null: no spouse (DG13 field 14 present without a value). */
  spouseName: string | null;
  /** Old 9-digit CMND number, or `''` when the holder never had one. */
  oldIdNumber: string;
  /** DG13 field 16: a 16-character code of unknown meaning. */
  unknown16: string;
  face: SyntheticFace;
}

/** Options of {@link createSyntheticPerson}. */
export interface SyntheticPersonOptions {
  /** Pad the face JPEG to about this many bytes (default 15000, like real cards; 0 = no padding). */
  faceBytes?: number;
  /** Face size in pixels (default 300 × 400). */
  faceWidth?: number;
  faceHeight?: number;
}

const FAMILY = [
  'NGUYỄN',
  'TRẦN',
  'LÊ',
  'PHẠM',
  'HOÀNG',
  'HUỲNH',
  'PHAN',
  'VŨ',
  'VÕ',
  'ĐẶNG',
  'BÙI',
  'ĐỖ',
  'HỒ',
  'NGÔ',
  'DƯƠNG',
  'LÝ',
];
const MIDDLE_MALE = ['VĂN', 'HỮU', 'ĐỨC', 'QUỐC', 'MINH'];
const MIDDLE_FEMALE = ['THỊ', 'NGỌC', 'THU', 'KIM', 'MỸ'];
/** One-letter given names, as in the placeholder "NGUYỄN VĂN A". */
const GIVEN = ['A', 'B', 'C', 'D', 'Đ', 'E', 'Ê', 'G', 'H', 'K', 'L', 'M', 'N', 'Ơ', 'Ư', 'Y'];
const ETHNICITIES = ['Kinh', 'Kinh', 'Kinh', 'Kinh', 'Tày', 'Thái', 'Mường', 'Khmer', 'Hoa', 'Nùng'];
const RELIGIONS = ['Không', 'Không', 'Không', 'Phật giáo', 'Công giáo', 'Cao Đài', 'Tin Lành'];
const MARKS = [
  'Nốt ruồi C:1cm trên trước đuôi mắt trái',
  'Sẹo chấm C:2cm dưới trước cằm phải',
  'Nốt ruồi C:1,5cm dưới sau mép phải',
  'Sẹo chấm C:3cm trên sau lông mày trái',
];
const STREETS = ['Đường Số 1', 'Đường Số 7', 'Ngõ 12', 'Hẻm 45', 'Đường Liên Xã'];

/** Removes Vietnamese diacritics for the MRZ (`ĐẶNG` → `DANG`). */
export function toMrzName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[Đđ]/g, 'D')
    .toUpperCase()
    .replace(/[^A-Z ]/g, '');
}

const pad2 = (n: number): string => String(n).padStart(2, '0');
const iso = (y: number, m: number, d: number): string => `${y}-${pad2(m)}-${pad2(d)}`;
const daysIn = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate();

function randomDate(rng: SeededRandom, fromYear: number, toYear: number): string {
  const y = rng.int(fromYear, toYear);
  const m = rng.int(1, 12);
  return iso(y, m, rng.int(1, daysIn(y, m)));
}

function personName(rng: SeededRandom, sex: 'male' | 'female', family?: string): string {
  const middle = rng.pick(sex === 'male' ? MIDDLE_MALE : MIDDLE_FEMALE);
  return `${family ?? rng.pick(FAMILY)} ${middle} ${rng.pick(GIVEN)}`.normalize('NFC');
}

function place(rng: SeededRandom, province: string, long: boolean): string {
  const commune = `Xã ${rng.pick(['Phú', 'Tân', 'An', 'Hòa', 'Thạnh'])} ${rng.pick(GIVEN)}`;
  const district = `Huyện ${rng.pick(['Đông', 'Tây', 'Nam', 'Bắc'])} ${rng.pick(GIVEN)}`;
  if (!long) return `${commune}, ${district}, ${province}`;
  return `Căn hộ ${rng.int(101, 2599)}, Tòa nhà ${rng.pick(GIVEN)}${rng.int(1, 9)}, Số ${rng.int(1, 299)} ${rng.pick(STREETS)}, Tổ dân phố ${rng.int(1, 30)}, Khu phố ${rng.int(1, 9)}, ${commune.replace('Xã', 'Phường')}, ${district.replace('Huyện', 'Quận')}, ${province}`;
}

/**
 * A fictional Vietnamese citizen, the same for the same seed (default 1). The ID number's
 * province code is the birth province, its century/sex digit and year match the date of birth
 * and sex; the card was issued between 2021-01-01 and 2024-06-30 when the holder was at least
 * 14, and expires at the next milestone of the 2014 law (25, 40, 60; none after 58).
 */
export function createSyntheticPerson(seed = 1, options: SyntheticPersonOptions = {}): SyntheticPerson {
  const rng = seededRandom(seed);
  const sex = rng.next() < 0.5 ? 'male' : 'female';
  // Chip CCCDs were issued from 2021 until the 2024 law took effect on 1 July 2024.
  const issueYear = rng.int(2021, 2024);
  const issueMonth = rng.int(1, issueYear === 2024 ? 6 : 12);
  const issueDate = iso(issueYear, issueMonth, rng.int(1, daysIn(issueYear, issueMonth)));
  let dateOfBirth = randomDate(rng, 1940, issueYear - 15);
  if (dateOfBirth.endsWith('-02-29')) dateOfBirth = dateOfBirth.replace(/29$/, '28');
  const birthYear = Number(dateOfBirth.slice(0, 4));
  const codes = Object.keys(PROVINCE_CODES);
  const provinceCode = rng.pick(codes);
  const province = PROVINCE_CODES[provinceCode] as string;
  const idNumber = `${provinceCode}${centurySexDigit(birthYear, sex)}${dateOfBirth.slice(2, 4)}${rng.digits(6)}`;
  const family = rng.pick(FAMILY);
  const fullName = personName(rng, sex, family);
  const [surname = '', ...given] = toMrzName(fullName).split(' ');
  const fatherName = personName(rng, 'male', family);
  const motherName = personName(rng, 'female');
  const married = birthYear < issueYear - 22 && rng.next() < 0.6;
  const spouseName = married ? personName(rng, sex === 'male' ? 'female' : 'male') : null;
  const hadCmnd = birthYear < 2006 && rng.next() < 0.7;
  const faceBytes = options.faceBytes ?? 15000;
  return {
    seed,
    idNumber,
    can: canFromIdNumber(idNumber),
    fullName,
    mrzSurname: surname,
    mrzGivenNames: given.join(' '),
    sex,
    dateOfBirth,
    issueDate,
    dateOfExpiry: expectedExpiry(dateOfBirth, issueDate, { law: '2014' }),
    nationality: 'Việt Nam',
    ethnicity: rng.pick(ETHNICITIES),
    religion: rng.pick(RELIGIONS),
    placeOfOrigin: place(rng, province, false),
    placeOfResidence: place(rng, rng.pick(Object.values(PROVINCE_CODES)), rng.next() < 0.5),
    identifyingMarks: rng.pick(MARKS),
    fatherName,
    motherName,
    spouseName,
    oldIdNumber: hadCmnd ? rng.digits(9) : '',
    unknown16: rng.digits(16),
    face: {
      jpeg: createFaceJpeg({
        seed,
        width: options.faceWidth ?? 300,
        height: options.faceHeight ?? 400,
        ...(faceBytes > 0 ? { targetBytes: faceBytes } : {}),
      }),
      width: options.faceWidth ?? 300,
      height: options.faceHeight ?? 400,
    },
  };
}

const dmy = (isoDate: string): string =>
  `${isoDate.slice(8, 10)}/${isoDate.slice(5, 7)}/${isoDate.slice(0, 4)}`;

/** The person's DG13 fields as a CCCD stores them (dates `dd/mm/yyyy`, `Nam` / `Nữ`). */
export function dg13FieldsOf(person: SyntheticPerson): Dg13Fields {
  return {
    idNumber: person.idNumber,
    fullName: person.fullName,
    dateOfBirth: dmy(person.dateOfBirth),
    sex: person.sex === 'male' ? 'Nam' : 'Nữ',
    nationality: person.nationality,
    ethnicity: person.ethnicity,
    religion: person.religion,
    placeOfOrigin: person.placeOfOrigin,
    placeOfResidence: person.placeOfResidence,
    identifyingMarks: person.identifyingMarks,
    issueDate: dmy(person.issueDate),
    expiryDate: person.dateOfExpiry === null ? 'Không thời hạn' : dmy(person.dateOfExpiry),
    fatherName: person.fatherName,
    motherName: person.motherName,
    spouseName: person.spouseName,
    oldIdNumber: person.oldIdNumber,
    unknown16: person.unknown16,
  };
}
