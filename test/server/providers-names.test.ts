import { describe, expect, it } from 'vitest';
import { compareNames, parsePersonName, type PersonName } from '../../server/providers/person-name';

const name = (raw: string): PersonName => {
  const parsed = parsePersonName(raw);
  if (!parsed) throw new Error(`unparsed: ${raw}`);
  return parsed;
};
const score = (a: string, b: string) => compareNames(name(a), name(b)).score;

describe('person names', () => {
  it('reads printed forms the same: comma order, degrees, honorifics, suffixes, folder names', () => {
    for (const raw of [
      'SEHGAL, ASHOK K.',
      'Ashok K. Sehgal, MD',
      'Dr. Ashok K Sehgal Jr.',
      'Ashok K. Sehgal, M.D., FACP',
    ])
      expect(name(raw)).toMatchObject({ first: 'ASHOK', last: 'SEHGAL', middles: ['K'] });
    expect(name('Sehgal_Ashok').tokens.sort()).toEqual(['ASHOK', 'SEHGAL']);
    expect(parsePersonName('MD')).toBeNull();
  });

  it('scores nicknames, initials and one misprinted letter below an exact match, and a different given name zero', () => {
    expect(score('Ashok K. Sehgal', 'SEHGAL, ASHOK')).toBe(1);
    expect(score('Robert Chen', 'Bob Chen')).toBe(0.95);
    expect(score('Ashok Sehgal', 'Ashok Sehgall')).toBe(0.9);
    expect(score('A. Sehgal', 'Ashok Sehgal')).toBe(0.7);
    expect(score('Ashok K. Sehgal', 'Ashok R. Sehgal')).toBeCloseTo(0.7);
    expect(score('Anita Sehgal', 'Ashok Sehgal')).toBe(0);
    // Two letters off in a short surname is another family, not a misprint.
    expect(score('Ashok Seal', 'Ashok Sehgal')).toBe(0);
    // Surname first without a comma: the order is unknown, so a little less than certain.
    expect(score('SEHGAL ASHOK', 'Ashok Sehgal')).toBe(1);
    expect(compareNames(name('SEHGAL ASHOK KUMAR'), name('Ashok Sehgal')).how).toBe('order swapped');
  });
});
