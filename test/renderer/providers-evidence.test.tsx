/**
 * Issue 18: what a coordinator decides on is shown where they decide. A rule's caveats sit beside
 * its source on the provider's CME card (plain text, not behind a hover), computed by the real
 * compliance code from the real Georgia rule and read through the wire schema; a match's folder
 * hint ("Folder: Sehgal_Ashok — agrees/conflicts") sits with its reasons on the provider's
 * documents and in the list of matches to confirm. Components are server-rendered with React.
 */
import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ComplianceAnswer, FlaggedMatch, ProviderPage } from '../../common/providers-api';
import { StoreProvider } from '../../renderer/app/store-context';
import { FlaggedMatchItem } from '../../renderer/features/providers/FlaggedMatchItem';
import { folderHintText } from '../../renderer/features/providers/provider-figures';
import { ProviderCme } from '../../renderer/features/providers/ProviderCme';
import { ProviderDocuments } from '../../renderer/features/providers/ProviderDocuments';
import { createAppStore } from '../../renderer/store/app-store';
import { collectActivities } from '../../server/compliance/cme-activities';
import { computeCompliance } from '../../server/compliance/compute-compliance';
import { ruleFor } from '../../server/compliance/rules';
import { createFakeApi } from './fake-api';

function render(part: ReactNode): string {
  return renderToStaticMarkup(<StoreProvider store={createAppStore(createFakeApi({}).api)}>{part}</StoreProvider>);
}

/** React escapes text; the assertions read it as a person does. */
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

const doc = (documentId: string, extra: Record<string, unknown>) => ({
  documentId,
  docType: 'medical_license',
  fileName: `${documentId}.pdf`,
  status: 'approved',
  evidence: 'name',
  score: 0.95,
  needsConfirmation: false,
  reasons: ['name matches (0.95)'],
  confirmedBy: null,
  ...extra,
});

function page(documents: Array<Record<string, unknown>>): ProviderPage {
  return ProviderPage.parse({
    provider: { id: 'p1', name: 'Ashok K. Sehgal', npi: null, origin: 'document', createdAt: '2026-12-01' },
    identifiers: [],
    documents,
    credentials: [],
    cme: { activities: [], totals: { totalCredits: 0, activities: 0, byCreditType: {}, byYear: {} } },
  });
}

describe('rule caveats on the CME card', () => {
  const license = (state: string) =>
    computeCompliance({
      state,
      rule: ruleFor(state),
      license: { documentId: `lic-${state}`, number: `${state}-1`, expirationDate: '2027-06-30' },
      activities: [],
      prescribesControlledSubstances: false,
    });

  it("shows Georgia's caveat as text beside its source; North Carolina, with none, shows no caveat", () => {
    const answer = ComplianceAnswer.parse({
      provider: { id: 'p1', name: 'Ashok K. Sehgal', npi: null },
      activities: [],
      licenses: [license('GA'), license('NC')],
    });
    expect(answer.licenses[0]!.source!.caveats).toHaveLength(1);
    const html = render(<ProviderCme page={page([])} compliance={answer} />);
    const cards = text(html).split(/ (?=GA license|NC license)/);
    const ga = cards.find((c) => c.startsWith('GA license'))!;
    const nc = cards.find((c) => c.startsWith('NC license'))!;
    expect(ga).toMatch(/Source: [^.]*Georgia[^]*Caveat: Summaries differ on whether every hour must be Category 1/);
    expect(ga).toContain('this entry counts Category 1 hours only.');
    expect(nc).toContain('Source:');
    expect(nc).not.toContain('Caveat');
    // Plain text in the card, not a title attribute shown on hover.
    expect(html).not.toMatch(/title="[^"]*Summaries differ/);
  });

  it('reads an answer from a server before caveats as having none', () => {
    const old = license('GA') as unknown as { source: Record<string, unknown> };
    const { caveats: _dropped, ...source } = old.source;
    const answer = ComplianceAnswer.parse({
      provider: { id: 'p1', name: 'A', npi: null },
      activities: [],
      licenses: [{ ...old, source }],
    });
    expect(answer.licenses[0]!.source!.caveats).toEqual([]);
    expect(text(render(<ProviderCme page={page([])} compliance={answer} />))).not.toContain('Caveat');
  });
});

describe('folder hint with the match', () => {
  it("shows each document's folder and whether it agrees, on the provider's documents", () => {
    const p = page([
      doc('d1', { folderHint: { folder: 'Sehgal_Ashok', fits: 'same' } }),
      doc('d2', {
        needsConfirmation: true,
        reasons: [
          'name matches (0.95)',
          'conflict: the upload folder "Roe_Jane" names another person than this provider',
        ],
        folderHint: { folder: 'Roe_Jane', fits: 'other' },
      }),
      doc('d3', {}),
    ]);
    expect(p.documents[2]!.folderHint).toBeNull();
    const rows = text(render(<ProviderDocuments page={p} ticked={new Set()} setTicked={() => undefined} />)).split(
      / (?=d\d\.pdf)/,
    );
    expect(rows.find((r) => r.startsWith('d1.pdf'))).toContain('Folder: Sehgal_Ashok — agrees');
    expect(rows.find((r) => r.startsWith('d2.pdf'))).toContain('Folder: Roe_Jane — conflicts');
    expect(rows.find((r) => r.startsWith('d3.pdf'))).not.toContain('Folder:');
  });

  it('shows the folder with a match to confirm, beside the candidates to choose from', () => {
    const m = FlaggedMatch.parse({
      documentId: 'd2',
      docType: 'cme_certificate',
      fileName: 'sepsis.pdf',
      status: 'approved',
      evidence: 'name',
      score: 0.95,
      reasons: [
        'name matches (0.95)',
        'conflict: the upload folder "Roe_Jane" names another person than this provider',
      ],
      providerId: 'p1',
      candidates: [{ providerId: 'p1', evidence: 'name', score: 0.95 }],
      folderHint: { folder: 'Roe_Jane', fits: 'other' },
    });
    const html = render(
      <ul>
        <FlaggedMatchItem match={m} nameOf={() => 'Ashok K. Sehgal'} decide={() => undefined} />
      </ul>,
    );
    expect(text(html)).toContain('Folder: Roe_Jane — conflicts (it names another person)');
    expect(html).toContain('class="hint tone-warn"');
    expect(text(html)).toContain('It is Ashok K. Sehgal');
  });

  it('words every fit, and after a coordinator decided tells what the folder said of the automatic match', () => {
    expect(folderHintText({ folder: 'Sehgal_Ashok', fits: 'same' }, 'npi')).toBe(
      'Folder: Sehgal_Ashok — agrees (it names this provider too; a hint, not proof)',
    );
    expect(folderHintText({ folder: 'Sehgal_A_K', fits: 'unclear' }, 'name')).toMatch(/neither agrees nor conflicts/);
    expect(folderHintText({ folder: 'Roe_Jane', fits: 'other' }, 'manual')).toBe(
      'Folder: Roe_Jane — conflicted with the automatic match, before a coordinator decided',
    );
  });
});

describe('topics on the CME card', () => {
  it('says how each counted activity got its topic: the words of its title, or a coordinator', () => {
    const cert = (id: string, activityTitle: string) => ({
      id,
      docType: 'cme_certificate',
      fields: { completionDate: '2026-03-01', credits: 2, creditType: 'AMA_PRA_1', activityTitle },
    });
    const docs = [
      cert('c1', 'Medical Ethics and Professional Responsibility'),
      cert('c2', 'Grand Rounds: Case Review'),
    ];
    const plain = collectActivities(docs);
    const key = plain.find((a) => a.title?.startsWith('Grand'))!.key;
    // The real reader of titles, and a coordinator's override, read through the wire schema.
    const activities = collectActivities(docs, new Map([[key, ['ethics'] as const]]));
    const answer = ComplianceAnswer.parse({
      provider: { id: 'p1', name: 'Ashok K. Sehgal', npi: null },
      activities,
      licenses: [
        computeCompliance({
          state: 'TX',
          rule: ruleFor('TX'),
          license: { documentId: 'lic', number: 'TX-1', expirationDate: '2026-12-31' },
          activities,
          prescribesControlledSubstances: false,
        }),
      ],
    });
    const html = text(render(<ProviderCme page={page([])} compliance={answer} />));
    const ethics = html.slice(html.indexOf('Ethics'));
    expect(ethics).toMatch(
      /Medical Ethics and Professional Responsibility · 2 AMA_PRA_1 · topic: Ethics \("Ethics" in the title\)/i,
    );
    expect(ethics).toContain('Grand Rounds: Case Review · 2 AMA_PRA_1 · topic: Ethics (set by a coordinator)');
  });
});
