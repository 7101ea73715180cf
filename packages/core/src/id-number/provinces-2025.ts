/**
 * @module
 * The 34 provincial-level units in force since the 2025 reorganisation, and which of the 63
 * historical provinces of the ID-number code list (Circular 07/2016/TT-BCA) each was formed
 * from. Source: Resolution 202/2025/QH15 of the National Assembly on the arrangement of
 * provincial-level administrative units, passed 12 June 2025 and in force from that day, Art. 1
 * (23 new units formed by merging the entire natural area and population of 52 provinces and
 * cities; the authorities of the new units operate from 1 July 2025); the 11 units it leaves
 * as they were include Huế, a centrally-run city since 1 January 2025 (Resolution
 * 175/2024/QH15, formerly Thừa Thiên Huế province, code 046).
 *
 * What is certain: every historical province went whole into exactly one new unit (the
 * Resolution merges entire areas, none is split), so the mapping below is total. Checked
 * against the Resolution's published English translation for its first clauses and against
 * press summaries of the full list (June 2025); the unit names are the Resolution's.
 * What is not known to us: whether the Ministry of Public Security will assign new
 * birth-registration codes for births registered after 1 July 2025. ID numbers already issued
 * are not renumbered, so the first three digits keep naming the historical province; a code
 * outside the 63 decodes as `unknown`.
 */

/** A provincial-level unit in force since the 2025 reorganisation. */
export interface Province2025 {
  /** Name as in Resolution 202/2025/QH15, without "Tỉnh" / "Thành phố" (as the code list writes names). */
  name: string;
  /** `city`: centrally-run city (thành phố trực thuộc trung ương); else `province`. */
  kind: 'city' | 'province';
  /**
   * Codes (Circular 07/2016/TT-BCA) of the historical provinces it covers; the first is the
   * one whose name it kept (for units that kept a name). One code for the 11 unmerged units.
   */
  historicalCodes: readonly string[];
}

/** Where the data of {@link PROVINCES_2025} comes from. */
export const PROVINCES_2025_SOURCE: string =
  'Resolution 202/2025/QH15 of the National Assembly on the arrangement of provincial-level administrative units (12 June 2025), Art. 1; Resolution 175/2024/QH15 (Huế, a centrally-run city from 1 January 2025)';

const unit = (name: string, kind: 'city' | 'province', ...historicalCodes: string[]): Province2025 =>
  Object.freeze({ name, kind, historicalCodes: Object.freeze(historicalCodes) });

/** The 34 units (6 cities, 28 provinces): the 11 not rearranged first, then the 23 formed by merger. */
export const PROVINCES_2025: readonly Province2025[] = Object.freeze([
  // Not rearranged by Resolution 202/2025/QH15.
  unit('Hà Nội', 'city', '001'),
  unit('Huế', 'city', '046'),
  unit('Lai Châu', 'province', '012'),
  unit('Điện Biên', 'province', '011'),
  unit('Sơn La', 'province', '014'),
  unit('Lạng Sơn', 'province', '020'),
  unit('Quảng Ninh', 'province', '022'),
  unit('Thanh Hóa', 'province', '038'),
  unit('Nghệ An', 'province', '040'),
  unit('Hà Tĩnh', 'province', '042'),
  unit('Cao Bằng', 'province', '004'),
  // Formed by merger (Art. 1): the unit that kept its name first, then those merged into it.
  unit('Tuyên Quang', 'province', '008', '002'), // + Hà Giang
  unit('Lào Cai', 'province', '010', '015'), // + Yên Bái
  unit('Thái Nguyên', 'province', '019', '006'), // + Bắc Kạn
  unit('Phú Thọ', 'province', '025', '026', '017'), // + Vĩnh Phúc, Hòa Bình
  unit('Bắc Ninh', 'province', '027', '024'), // + Bắc Giang
  unit('Hưng Yên', 'province', '033', '034'), // + Thái Bình
  unit('Hải Phòng', 'city', '031', '030'), // + Hải Dương
  unit('Ninh Bình', 'province', '037', '035', '036'), // + Hà Nam, Nam Định
  unit('Quảng Trị', 'province', '045', '044'), // + Quảng Bình
  unit('Đà Nẵng', 'city', '048', '049'), // + Quảng Nam
  unit('Quảng Ngãi', 'province', '051', '062'), // + Kon Tum
  unit('Gia Lai', 'province', '064', '052'), // + Bình Định
  unit('Khánh Hòa', 'province', '056', '058'), // + Ninh Thuận
  unit('Lâm Đồng', 'province', '068', '067', '060'), // + Đắk Nông, Bình Thuận
  unit('Đắk Lắk', 'province', '066', '054'), // + Phú Yên
  unit('Hồ Chí Minh', 'city', '079', '074', '077'), // + Bình Dương, Bà Rịa - Vũng Tàu
  unit('Đồng Nai', 'province', '075', '070'), // + Bình Phước
  unit('Tây Ninh', 'province', '072', '080'), // + Long An
  unit('Cần Thơ', 'city', '092', '094', '093'), // + Sóc Trăng, Hậu Giang
  unit('Vĩnh Long', 'province', '086', '083', '084'), // + Bến Tre, Trà Vinh
  unit('Đồng Tháp', 'province', '087', '082'), // + Tiền Giang
  unit('Cà Mau', 'province', '096', '095'), // + Bạc Liêu
  unit('An Giang', 'province', '089', '091'), // + Kiên Giang
]);

const BY_CODE: ReadonlyMap<string, Province2025> = new Map(
  PROVINCES_2025.flatMap((p) => p.historicalCodes.map((c) => [c, p] as const)),
);

/** The unit in force since 2025 that covers historical province `code`, or undefined. */
export function province2025Of(code: string): Province2025 | undefined {
  return typeof code === 'string' ? BY_CODE.get(code) : undefined;
}
