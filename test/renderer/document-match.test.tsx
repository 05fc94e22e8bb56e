/**
 * Issue 18: where a coordinator sees a document's provider match. The Documents table's Provider
 * column shows the matched provider (not the upload label nor the printed name), marks a match
 * that waits for confirmation "(confirm?)", and greys the printed name of an unmatched document;
 * the review's match panel names the provider, the evidence with the identifier the document
 * prints, and the score, with the coordinator's choices when the match waits. Components are
 * server-rendered with React; the clicks are in test/e2e/document-match-web.test.ts.
 */
import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { DocumentMatch } from '../../common/api';
import { StoreProvider } from '../../renderer/app/store-context';
import { DocumentsTable } from '../../renderer/features/documents/DocumentsTable';
import { ProviderCell } from '../../renderer/features/documents/ProviderCell';
import { evidenceText } from '../../renderer/features/documents/match-label';
import { ProviderMatchPanel } from '../../renderer/features/review/ProviderMatchPanel';
import { createAppStore } from '../../renderer/store/app-store';
import { createFakeApi } from './fake-api';
import { detail, listItem } from './store-fixtures';

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();

const sehgal = (over: Partial<DocumentMatch> = {}): DocumentMatch => ({
  providerId: 'p1',
  providerName: 'Sehgal, Ashok',
  evidence: 'npi',
  score: 0.99,
  needsConfirmation: false,
  ...over,
});

function renderWith(part: ReactNode): string {
  const store = createAppStore(createFakeApi({}).api);
  return renderToStaticMarkup(<StoreProvider store={store}>{part}</StoreProvider>);
}

describe('Documents table: Provider column', () => {
  const rows = [
    listItem({ id: 'a', fileName: 'a.pdf', provider: 'Upload label', personName: 'ASHOK SEHGAL', match: sehgal() }),
    listItem({
      id: 'b',
      fileName: 'b.pdf',
      personName: 'A. Sehgal',
      match: sehgal({ evidence: 'name', score: 0.72, needsConfirmation: true }),
    }),
    listItem({ id: 'c', fileName: 'c.pdf', personName: 'Maria Lopez', match: null }),
    listItem({ id: 'd', fileName: 'd.pdf', personName: null, match: undefined }),
    listItem({
      id: 'e',
      fileName: 'e.pdf',
      personName: 'J. Smith',
      match: { providerId: null, providerName: null, evidence: 'name', score: 0.8, needsConfirmation: true },
    }),
  ];
  it('shows the matched provider, marks a match to confirm, and greys the printed name of an unmatched document', () => {
    // The table's cell, row by row (a server render reads the store's initial state, so no rows).
    const tr = rows.map((doc) =>
      renderWith(
        <table>
          <tbody>
            <tr>
              <ProviderCell doc={doc} onConfirm={() => {}} />
            </tr>
          </tbody>
        </table>,
      ),
    );
    // Matched: the provider's name, not the upload label nor the printed name.
    expect(text(tr[0]!)).toContain('Sehgal, Ashok');
    expect(text(tr[0]!)).not.toContain('Upload label');
    expect(text(tr[0]!)).not.toContain('ASHOK SEHGAL');
    expect(tr[0]).toContain('title="Matched on NPI, score 0.99"');
    // The matched provider's name is a button (it opens their page); a printed name is not.
    expect(tr[0]).toMatch(/<button type="button" class="link-button" title="[^"]*">Sehgal, Ashok<\/button>/);
    expect(tr[1]).toMatch(/<button[^>]*>Sehgal, Ashok<\/button>/);
    // Waiting for a coordinator: marked, the mark opens the review.
    expect(text(tr[1]!)).toContain('Sehgal, Ashok (confirm?)');
    expect(tr[1]).toContain('class="match-to-confirm"');
    // Unmatched: the printed name greyed; nothing at all: a dash.
    expect(tr[2]).toContain('<span class="unmatched" title="Not matched to a provider">Maria Lopez</span>');
    expect(tr[3]).toContain('<span class="unmatched" title="Not matched to a provider">—</span>');
    // Too close to choose: no provider, still marked.
    expect(text(tr[4]!)).toContain('J. Smith (confirm?)');
    // The table has the column.
    expect(text(renderWith(<DocumentsTable />))).toContain('Provider');
  });
});

describe('match evidence as the coordinator reads it', () => {
  it('names the identifier the document prints, a correction winning over the extraction', () => {
    const dea = detail();
    expect(evidenceText(sehgal({ evidence: 'dea' }), dea)).toBe('DEA number BM4447783');
    expect(
      evidenceText(
        sehgal({ evidence: 'dea' }),
        detail({ corrections: { deaNumber: { value: 'AS1234563', by: 'r@a.test', at: '2026-01-01T00:00:00Z' } } }),
      ),
    ).toBe('DEA number AS1234563');
    const license = detail({
      extraction: {
        ...dea.extraction!,
        fields: {
          state: { value: 'oh', confidence: 0.9, page: 1, bbox: [0, 0, 0, 0] },
          licenseNumber: { value: '35.123456', confidence: 0.9, page: 1, bbox: [0, 0, 0, 0] },
          npi: { value: '1234567893', confidence: 0.9, page: 1, bbox: [0, 0, 0, 0] },
        },
      },
    });
    expect(evidenceText(sehgal({ evidence: 'license' }), license)).toBe('OH license 35.123456');
    expect(evidenceText(sehgal({ evidence: 'npi' }), license)).toBe('NPI 1234567893');
    expect(evidenceText(sehgal({ evidence: 'npi' }))).toBe('NPI');
    expect(evidenceText(sehgal({ evidence: 'name' }), license)).toBe('name only');
  });
});

describe('review: provider match panel', () => {
  it('names the provider, the evidence and the score of a settled match, with a way to change it', () => {
    const html = text(
      renderWith(<ProviderMatchPanel doc={detail({ match: sehgal({ evidence: 'dea', score: 0.97 }) })} />),
    );
    expect(html).toContain('Provider Sehgal, Ashok Matched on DEA number BM4447783, score 0.97');
    expect(html).toContain('Change provider…');
    expect(html).not.toContain('Confirm');
  });

  it("makes the matched provider's name a button (to their page), not a provider-less match", () => {
    const settled = renderWith(<ProviderMatchPanel doc={detail({ match: sehgal() })} />);
    expect(settled).toContain('<button type="button" class="link-button">Sehgal, Ashok</button>');
    const undecided = renderWith(
      <ProviderMatchPanel
        doc={detail({
          match: { providerId: null, providerName: null, evidence: 'name', score: 0.8, needsConfirmation: true },
        })}
      />,
    );
    expect(text(undecided)).toContain('No provider chosen');
    expect(undecided).not.toMatch(/<button[^>]*>No provider chosen/);
  });

  it('offers to confirm a match that waits, pick another provider or none, and says when there is no match', () => {
    const html = text(
      renderWith(
        <ProviderMatchPanel
          doc={detail({ match: sehgal({ evidence: 'name', score: 0.7, needsConfirmation: true }) })}
        />,
      ),
    );
    expect(html).toContain('Sehgal, Ashok needs confirmation');
    expect(html).toContain('Matched on name only, score 0.7');
    expect(html).toContain('Confirm Sehgal, Ashok');
    expect(html).toContain('Another provider');
    expect(html).toContain('None of them');
    expect(text(renderWith(<ProviderMatchPanel doc={detail({ match: null })} />))).toContain(
      'Not matched to a provider yet',
    );
    const none = sehgal({ providerId: null, providerName: null, evidence: 'manual', score: 1 });
    expect(text(renderWith(<ProviderMatchPanel doc={detail({ match: none })} />))).toContain(
      'None of the providers: a coordinator decided so. Change provider…',
    );
  });
});

describe("from a document's provider to the provider's page", () => {
  it("openProvider shows the Providers screen on that provider; the header's go() opens its list", () => {
    const store = createAppStore(createFakeApi({}).api);
    store.getState().go('documents');
    store.getState().openProvider('p1');
    expect(store.getState()).toMatchObject({ screen: 'providers', providerId: 'p1' });
    // Back from the page: the list. The Providers screen renders the page it names (a server
    // render reads only the store's initial state: the switch itself is clicked in document-match-web).
    store.getState().openProvider(null);
    expect(store.getState()).toMatchObject({ screen: 'providers', providerId: null });
    store.getState().openProvider('p1');
    store.getState().go('providers');
    expect(store.getState().providerId).toBeNull();
  });
});
