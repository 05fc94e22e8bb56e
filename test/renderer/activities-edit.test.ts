import { describe, expect, it } from 'vitest';
import type { DocumentDetail } from '../../common/api';
import {
  activityRowsText,
  fromActivityRows,
  moveRow,
  parseActivityRowsText,
  rowProblems,
  toActivityRows,
  type ActivityRow,
} from '../../renderer/review/activity-rows';
import { approvalConcerns } from '../../renderer/review/approval-concerns';
import { createAppStore } from '../../renderer/store/app-store';
import { createFakeApi } from './fake-api';
import { detail } from './store-fixtures';

const at = (value: unknown, confidence = 0.95) => ({
  value,
  confidence,
  page: 1,
  bbox: [0, 0, 0.1, 0.1] as [number, number, number, number],
});
const ACTIVITIES = [
  {
    title: 'Opioid Prescribing Safety',
    provider: 'ACME CME',
    completionDate: '2026-03-02',
    credits: 2,
    creditType: 'AMA_PRA_1' as const,
  },
  { title: 'Sepsis Update', provider: null, completionDate: null, credits: 1.5, creditType: null },
];

function transcript(confidence = 0.95): DocumentDetail {
  const base = detail({ id: 't1', fileName: 'transcript.pdf', docType: 'cme_transcript' });
  return {
    ...base,
    extraction: {
      ...base.extraction!,
      docType: 'cme_transcript',
      warnings: [],
      fields: {
        participantName: at('Ana Núñez'),
        activities: at(ACTIVITIES, confidence),
        totalCredits: at(3.5),
        npi: null,
      },
    },
  };
}

describe('activity rows', () => {
  it('turn activities into text cells and back, empty cells becoming nulls', () => {
    const rows = toActivityRows(ACTIVITIES);
    expect(rows[1]).toEqual({
      title: 'Sepsis Update',
      provider: '',
      completionDate: '',
      credits: '1.5',
      creditType: '',
    });
    expect(fromActivityRows(rows)).toEqual(ACTIVITIES);
    expect(toActivityRows('not a list')).toEqual([]);
    // Through the edit text the cells come back as typed.
    const typed = [{ ...rows[0]!, credits: '1,5' }];
    expect(parseActivityRowsText(activityRowsText(typed))).toEqual(typed);
    expect(parseActivityRowsText('{oops')).toEqual([]);
  });

  it('check each cell as typed and refuse to save a wrong one, naming the row', () => {
    const bad: ActivityRow = {
      title: ' ',
      provider: '',
      completionDate: '2026-13-01',
      credits: 'two',
      creditType: 'CASH',
    };
    expect(rowProblems(bad)).toEqual({
      title: 'Give the activity title.',
      completionDate: 'Write the date as YYYY-MM-DD.',
      credits: 'Credits are a number from 0 to 1000.',
      creditType: 'Pick a credit type from the list.',
    });
    const rows = [...toActivityRows(ACTIVITIES), { ...bad, title: 'Ethics' }];
    expect(() => fromActivityRows(rows)).toThrow('Activity 3: Write the date as YYYY-MM-DD.');
  });

  it('move within bounds only', () => {
    expect(moveRow(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moveRow(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moveRow(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
  });
});

describe('editing a transcript in review', () => {
  const setup = () => {
    const fake = createFakeApi({
      'documents.get': () => transcript(),
      'documents.content': () => new Uint8Array([37]),
      'documents.review': () => transcript(),
    });
    return { fake, store: createAppStore(fake.api) };
  };

  it('saves reordered, added and removed rows as activities', async () => {
    const { store, fake } = setup();
    await store.getState().openReview('t1');
    const rows = moveRow(toActivityRows(ACTIVITIES), 1, -1);
    rows.push({
      title: 'Ethics in Telehealth',
      provider: '',
      completionDate: '2026-04-01',
      credits: '0.5',
      creditType: 'AAFP',
    });
    rows.splice(1, 1);
    store.getState().editField('activities', activityRowsText(rows));
    await expect(store.getState().submitReview()).resolves.toBe(true);
    expect(fake.calls.at(-1)?.arg).toEqual({
      id: 't1',
      fields: {
        activities: [
          ACTIVITIES[1],
          {
            title: 'Ethics in Telehealth',
            provider: null,
            completionDate: '2026-04-01',
            credits: 0.5,
            creditType: 'AAFP',
          },
        ],
      },
    });
  });

  it('sends nothing for an untouched table and refuses a wrong cell with its row', async () => {
    const { store, fake } = setup();
    await store.getState().openReview('t1');
    store.getState().editField('activities', activityRowsText(toActivityRows(ACTIVITIES)));
    await store.getState().submitReview();
    expect(fake.calls.at(-1)).toEqual({ channel: 'documents.review', arg: { id: 't1' } });
    const rows = toActivityRows(ACTIVITIES);
    rows[1] = { ...rows[1]!, credits: '1,5' };
    store.getState().editField('activities', activityRowsText(rows));
    await expect(store.getState().submitReview()).resolves.toBe(false);
    expect(store.getState().reviewError).toBe('Activity 2: Credits are a number from 0 to 1000.');
    // Correcting the cell clears the refusal.
    store.getState().editField('activities', activityRowsText(toActivityRows(ACTIVITIES)));
    expect(store.getState().reviewError).toBeNull();
  });

  it('names an unsure activity list by its row count in the approval check', () => {
    expect(approvalConcerns(transcript(0.6), { edits: {}, accepted: new Set(), today: '2026-12-05' })).toEqual([
      { field: 'activities', message: 'Activities (2 rows) was read with 60% confidence and has not been checked.' },
    ]);
  });
});
