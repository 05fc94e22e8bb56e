/**
 * The folder hint raises a name match a little (FOLDER_HINT_BOOST) to order candidates, but two
 * providers too close to choose between on the printed name stay too close with a folder: the
 * ambiguity gap is measured on the name scores alone. matchDocument is a pure function over the
 * provider index, so this runs it directly with real name parsing and folder reading.
 */
import { describe, expect, it } from 'vitest';
import type { DocumentIdentity } from '../../server/providers/document-identity';
import { folderHintOf } from '../../server/providers/folder-hint';
import { matchDocument, type IndexedProvider } from '../../server/providers/match-document';
import { parsePersonName } from '../../server/providers/person-name';

const provider = (id: string, name: string): IndexedProvider => ({
  id,
  npi: null,
  names: [parsePersonName(name)!],
  deas: new Set(),
  credentials: new Set(),
});

const document = (name: string, relPath: string | null): DocumentIdentity => ({
  name,
  parsedName: parsePersonName(name),
  npi: null,
  dea: null,
  credential: null,
  hintTokens: [],
  folderHint: folderHintOf(relPath),
});

// "Bill" is William's nickname (0.95); "Willian" is one letter off (0.85): a gap of 0.10.
const providers = [provider('A', 'Bill Sehgal'), provider('B', 'Willian Sehgal')];

describe('folder hint and the ambiguity gap', () => {
  it('two close names are ambiguous without a folder', () => {
    const d = matchDocument(document('William Sehgal', null), providers);
    expect(d.providerId).toBeNull();
    expect(d.needsConfirmation).toBe(true);
    expect(d.reasons.some((r) => r.startsWith('ambiguous'))).toBe(true);
  });

  it('a folder naming one of them does not settle the match', () => {
    const d = matchDocument(document('William Sehgal', 'Sehgal_William/x.pdf'), providers);
    expect(d.needsConfirmation).toBe(true);
    expect(d.reasons.some((r) => r.startsWith('ambiguous'))).toBe(true);
    // The raised score still orders the candidates: the folder's provider comes first.
    expect(d.candidates[0]).toMatchObject({ providerId: 'A', score: 1 });
  });

  it('a clear name gap is still decided on the name, the folder only raising the score', () => {
    const clear = [provider('A', 'William Sehgal'), provider('B', 'Willian Sehgal')];
    const d = matchDocument(document('William Sehgal', 'Sehgal_William/x.pdf'), clear);
    expect(d.providerId).toBe('A');
    expect(d.needsConfirmation).toBe(false);
  });
});
