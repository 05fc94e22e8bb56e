import { describe, expect, it } from 'vitest';
import { expirationsCsv } from '../../server/providers/expiration-export';
import type { Expiration } from '../../server/providers/expirations';

const expired: Expiration = {
  providerId: 'p1',
  providerName: '=HYPERLINK("x")',
  docType: 'medical_license',
  state: 'OH',
  number: '-35.1',
  expirationDate: '2026-01-01',
  daysLeft: -12,
  bucket: 'expired',
  documentId: 'doc-1',
};

describe('expirations CSV', () => {
  it('keeps an expired credential’s days left numeric, while text that reads as a formula is guarded', () => {
    const [header, row] = expirationsCsv([expired]).trim().split('\r\n');
    const cells = row!.split(',');
    expect(cells[header!.split(',').indexOf('days_left')]).toBe('-12');
    expect(cells[0]).toBe(`"'=HYPERLINK(""x"")"`);
    expect(cells[4]).toBe("'-35.1");
  });
});
