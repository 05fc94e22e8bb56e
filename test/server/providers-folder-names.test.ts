/** Which folder names read as a person's name for the provider hint (server/providers/folder-hint.ts). */
import { describe, expect, it } from 'vitest';
import { folderHintOf, personOfFolder } from '../../server/providers/folder-hint';

describe('folder names as a provider hint', () => {
  it('reads the folder forms practices use, normalised like printed names', () => {
    expect(personOfFolder('Sehgal_Ashok')?.tokens).toEqual(['SEHGAL', 'ASHOK']);
    expect(personOfFolder('Ashok Sehgal MD')?.tokens).toEqual(['ASHOK', 'SEHGAL']);
    expect(personOfFolder('sehgal-ashok')?.tokens).toEqual(['SEHGAL', 'ASHOK']);
    expect(personOfFolder('Doe, Jane')?.tokens).toEqual(['JANE', 'DOE']);
    expect(personOfFolder('Garcia-Lopez_Maria')?.tokens).toEqual(['GARCIA-LOPEZ', 'MARIA']);
  });

  it('ignores folders that are not a person: document kinds, years, single words, an initial alone', () => {
    for (const folder of ['Licenses', 'Ohio Licenses', 'CME Certificates', 'cme certificates', 'DEA Registrations'])
      expect(personOfFolder(folder), folder).toBeNull();
    for (const folder of ['2024', 'Credentials 2024', 'Downloads', 'jsmith', 'Sehgal_A', 'New Folder', 'Smith Clinic'])
      expect(personOfFolder(folder), folder).toBeNull();
  });

  it('takes the innermost folder that reads as a name, never the file name', () => {
    expect(folderHintOf('Providers/Sehgal_Ashok/licenses/ohio.pdf')?.folder).toBe('Sehgal_Ashok');
    expect(folderHintOf('Doe_Jane/Sehgal_Ashok/cme.pdf')?.folder).toBe('Sehgal_Ashok');
    expect(folderHintOf('Ashok Sehgal.pdf')).toBeNull();
    expect(folderHintOf(null)).toBeNull();
  });
});
