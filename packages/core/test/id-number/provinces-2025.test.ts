/**
 * The birth-registration code against the historical 63 provinces and the 34 units in force
 * since the 2025 reorganisation (Resolution 202/2025/QH15), checked against a name-based list
 * of the Resolution's mergers kept apart from the code table.
 */
import { describe, expect, it } from 'vitest';
import { loadVectors } from '../../../../test/support/vectors.ts';
import {
  decodeIdNumber,
  decodeRegionCode,
  PROVINCE_CODES,
  PROVINCES_2025,
  PROVINCES_2025_SOURCE,
} from '../../src/id-number/index.ts';

interface Vector {
  current: string;
  kind: 'city' | 'province';
  from: string[];
}

const { vectors, source } = loadVectors<Vector>(import.meta.url, 'provinces-2025');
const codeOfName = new Map(Object.entries(PROVINCE_CODES).map(([code, name]) => [name, code]));

describe('provinces since the 2025 reorganisation', () => {
  it('are 34 units, 6 cities and 28 provinces: 11 not rearranged, 23 formed from 52', () => {
    expect(PROVINCES_2025).toHaveLength(34);
    expect(
      PROVINCES_2025.filter((p) => p.kind === 'city')
        .map((p) => p.name)
        .sort(),
    ).toEqual(['Cần Thơ', 'Hà Nội', 'Hải Phòng', 'Huế', 'Hồ Chí Minh', 'Đà Nẵng'].sort());
    const merged = PROVINCES_2025.filter((p) => p.historicalCodes.length > 1);
    expect(merged).toHaveLength(23);
    expect(merged.reduce((n, p) => n + p.historicalCodes.length, 0)).toBe(52);
    expect(new Set(PROVINCES_2025.map((p) => p.name)).size).toBe(34);
  });

  it('cover each of the 63 historical codes exactly once', () => {
    const all = PROVINCES_2025.flatMap((p) => p.historicalCodes);
    expect(all).toHaveLength(63);
    expect([...all].sort()).toEqual(Object.keys(PROVINCE_CODES).sort());
  });

  it('name their source', () => {
    expect(PROVINCES_2025_SOURCE).toContain('202/2025/QH15');
    expect(source).toContain('202/2025/QH15');
  });

  it.each(vectors)('$current ($kind) ← $from', (v) => {
    expect(vectors).toHaveLength(34);
    for (const historical of v.from) {
      const code = codeOfName.get(historical);
      expect(code, `${historical} is a historical province`).toBeDefined();
      const region = decodeRegionCode(code!);
      expect(region.name).toBe(historical);
      expect(region.current).toEqual({ name: v.current, kind: v.kind, merged: v.from.length > 1 });
    }
  });

  it('reports an ID number against both lists', () => {
    // 074 = Bình Dương at the time of registration, part of Hồ Chí Minh City since 2025.
    expect(decodeIdNumber('074095000123').region).toEqual({
      kind: 'province',
      code: '074',
      name: 'Bình Dương',
      current: { name: 'Hồ Chí Minh', kind: 'city', merged: true },
    });
    // 046 = Thừa Thiên Huế, Huế city (not merged in 2025).
    expect(decodeIdNumber('046190000123').region.current).toEqual({
      name: 'Huế',
      kind: 'city',
      merged: false,
    });
    // No current unit for countries and unknown codes.
    expect(decodeRegionCode('101').current).toBeNull();
    expect(decodeRegionCode('097').current).toBeNull();
    expect(decodeRegionCode('').current).toBeNull();
  });

  it('is frozen', () => {
    expect(Object.isFrozen(PROVINCES_2025)).toBe(true);
    expect(Object.isFrozen(PROVINCES_2025[0])).toBe(true);
    expect(Object.isFrozen(PROVINCES_2025[0]!.historicalCodes)).toBe(true);
  });
});
