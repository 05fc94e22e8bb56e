import { describe, expect, it } from 'vitest';
import { collectActivities, totalActivities, type CmeSourceDocument } from '../../server/compliance/cme-activities';

const transcript = (id: string, rows: Array<[string, string, number, string | null]>): CmeSourceDocument => ({
  id,
  docType: 'cme_transcript',
  fields: {
    participantName: 'Ashok Sehgal',
    activities: rows.map(([title, completionDate, credits, creditType]) => ({
      title,
      provider: null,
      completionDate,
      credits,
      creditType,
    })),
  },
});

describe('CME activities', () => {
  it('counts an activity once when it appears on several transcripts and on its own certificate', () => {
    const certificate: CmeSourceDocument = {
      id: 'cert-1',
      docType: 'cme_certificate',
      fields: {
        activityTitle: 'Safe Opioid Prescribing: 2025 Update',
        provider: 'Ohio State Medical Association',
        completionDate: '2025-03-14',
        credits: 2,
        creditType: 'AMA_PRA_1',
      },
    };
    const t1 = transcript('tr-1', [
      ['SAFE OPIOID PRESCRIBING - 2025 UPDATE', '2025-03-14', 2, null],
      ['Sepsis in the ED', '2025-04-02', 1.5, 'AMA_PRA_1'],
    ]);
    const t2 = transcript('tr-2', [
      ['Sepsis in the E.D.', '2025-04-02', 1.5, 'AMA_PRA_1'],
      ['Safe opioid prescribing 2025 update', '2025-03-14', 2, 'AMA_PRA_1'],
      // Same title and date but other credits: another activity (a different session).
      ['Sepsis in the ED', '2025-04-02', 1, 'AMA_PRA_1'],
    ]);
    const acts = collectActivities([t1, certificate, t2]);
    expect(acts).toHaveLength(3);
    const opioid = acts.find((a) => a.title?.includes('Opioid'))!;
    expect(opioid.sources.map((s) => s.documentId).sort()).toEqual(['cert-1', 'tr-1', 'tr-2']);
    // The certificate's title and what it fills in win over the transcript rows.
    expect(opioid).toMatchObject({
      title: 'Safe Opioid Prescribing: 2025 Update',
      provider: 'Ohio State Medical Association',
      creditType: 'AMA_PRA_1',
    });
    expect(opioid.topics).toEqual([{ topic: 'opioid_prescribing', match: 'Opioid', source: 'title' }]);
    expect(totalActivities(acts)).toEqual({
      totalCredits: 4.5,
      activities: 3,
      byCreditType: { AMA_PRA_1: 4.5 },
      byYear: { '2025': 4.5 },
    });
  });

  it('keeps rows that lack a date, credits or title apart, and lets a coordinator override the topics', () => {
    const t = transcript('tr-9', [
      ['Grand Rounds', '2025-01-01', 1, 'AMA_PRA_2'],
      ['Grand Rounds', '2025-01-01', 1, 'AMA_PRA_2'],
    ]);
    const noDate: CmeSourceDocument = {
      id: 'c',
      docType: 'cme_certificate',
      fields: { activityTitle: 'Ethics', credits: 1 },
    };
    const acts = collectActivities(
      [t, noDate, { ...noDate, id: 'd' }],
      new Map([['2025-01-01|1|GRAND ROUNDS', ['ethics']]]),
    );
    expect(acts).toHaveLength(3);
    expect(acts.find((a) => a.title === 'Grand Rounds')!.topics).toEqual([
      { topic: 'ethics', match: null, source: 'override' },
    ]);
  });
});
