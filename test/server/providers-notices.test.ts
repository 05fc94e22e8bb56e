import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CredentialEntry } from '../../server/providers/credentials';
import { expirationsOf } from '../../server/providers/expirations';
import { takeNewNotices } from '../../server/providers/expiry-notices';
import { providersFixture, type ProvidersFixture } from './providers-fixture';

const license = (documentId: string, expirationDate: string): CredentialEntry => ({
  docType: 'medical_license',
  state: 'OH',
  number: '35.1',
  status: 'current',
  printedStatus: null,
  expirationDate,
  issueDate: null,
  schedules: null,
  documentId,
  fileName: 'l.pdf',
});

let f: ProvidersFixture;
beforeEach(() => {
  f = providersFixture();
});
afterEach(() => f.close());

describe('daily expiry notices', () => {
  it('fire once per window: again only when a credential enters a nearer window or is renewed', () => {
    const notices = (today: string, expirationDate: string, user = 'u1') =>
      f
        .write(
          takeNewNotices(
            f.orgId,
            user,
            expirationsOf([{ id: 'p1', name: 'Ashok Sehgal', credentials: [license('doc-1', expirationDate)] }], today),
            today,
          ),
        )
        .map((e) => e.bucket);
    expect(notices('2026-01-01', '2026-03-15')).toEqual(['within_90']);
    expect(notices('2026-01-02', '2026-03-15')).toEqual([]);
    expect(notices('2026-01-20', '2026-03-15')).toEqual(['within_60']);
    expect(notices('2026-01-21', '2026-03-15')).toEqual([]);
    expect(notices('2026-02-20', '2026-03-15')).toEqual(['within_30']);
    expect(notices('2026-03-16', '2026-03-15')).toEqual(['expired']);
    expect(notices('2026-03-17', '2026-03-15')).toEqual([]);
    // Another user is told on their own; a renewal (a new expiration date) starts over.
    expect(notices('2026-03-17', '2026-03-15', 'u2')).toEqual(['expired']);
    expect(notices('2026-03-17', '2028-03-15')).toEqual([]);
    expect(notices('2028-01-01', '2028-03-15')).toEqual(['within_90']);
  });
});
