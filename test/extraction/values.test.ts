import { describe, expect, it } from 'vitest';
import { findDates } from '../../server/extraction/dates';
import { naturalName } from '../../server/extraction/names';
import { parseSchedules } from '../../server/extraction/parsers';
import type { Word } from '../../server/extraction/types';

const iso = (s: string) => findDates(s.split(' ')).map((d) => d.iso);
const words = (s: string): Word[] => s.split(' ').map((text, i) => ({ text, page: 1, x0: i / 10, y0: 0, x1: i / 10 + 0.05, y1: 0.01, conf: 1 }));

describe('dates', () => {
  it('reads US month-first and written forms', () => {
    expect(iso('03/04/2025')).toEqual(['2025-03-04']);
    expect(iso('12-31-2026')).toEqual(['2026-12-31']);
    expect(iso('2024-07-17')).toEqual(['2024-07-17']);
    expect(iso('March 4, 2025')).toEqual(['2025-03-04']);
    expect(iso('Sept. 9 2024')).toEqual(['2024-09-09']);
    expect(iso('4 March 2025')).toEqual(['2025-03-04']);
    expect(iso('16-NOV-2026')).toEqual(['2026-11-16']);
    expect(iso('February 8-10, 2024')).toEqual(['2024-02-10']);
  });

  it('rejects impossible dates and plain numbers', () => {
    expect(iso('02/30/2025')).toEqual([]);
    expect(iso('13/01/2025')).toEqual([]);
    expect(iso('$150.00 62301-9118')).toEqual([]);
  });
});

describe('names', () => {
  it('turns LAST, FIRST around and drops degrees', () => {
    expect(naturalName('SMITH, JOHN A MD')).toBe('JOHN A SMITH');
    expect(naturalName('VAN DER BERG, GREGORY K, DNP, NP-C')).toBe('GREGORY K VAN DER BERG');
    expect(naturalName('WHITE II, JENNIFER K')).toBe('JENNIFER K WHITE II');
    expect(naturalName('Kevin K. Parker, MD, FACP')).toBe('Kevin K. Parker');
    expect(naturalName('Dr. Maria Lopez, D.O.')).toBe('Maria Lopez');
  });

  it('refuses what is not a name', () => {
    expect(naturalName('MD')).toBeNull();
    expect(naturalName('12 MAIN ST')).toBeNull();
  });
});

describe('schedules', () => {
  it('reads arabic, spaced and roman forms', () => {
    expect(parseSchedules(words('2,2N,3,3N,4,5'))?.value).toEqual(['2', '2N', '3', '3N', '4', '5']);
    expect(parseSchedules(words('2 2N 3 3N 4 5'))?.value).toEqual(['2', '2N', '3', '3N', '4', '5']);
    expect(parseSchedules(words('II, IIN, III, IIIN, IV, V'))?.value).toEqual(['2', '2N', '3', '3N', '4', '5']);
    expect(parseSchedules(words('IIN IIIN IV V'))?.value).toEqual(['2N', '3N', '4', '5']);
    expect(parseSchedules(words('2N3N45'))?.value).toEqual(['2N', '3N', '4', '5']);
    expect(parseSchedules(words('PRACTITIONER'))).toBeNull();
  });
});
