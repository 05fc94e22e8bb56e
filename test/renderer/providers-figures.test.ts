import { describe, expect, it } from 'vitest';
import type { ExpirationItem } from '../../common/providers-api';
import { credentialLabel, noticeText, requirementPercent } from '../../renderer/features/providers/provider-figures';

const expiring = (bucket: ExpirationItem['bucket'], documentId: string): ExpirationItem => ({
  providerId: 'p',
  providerName: 'Ashok Sehgal',
  docType: 'medical_license',
  state: 'OH',
  number: '35.1',
  expirationDate: '2027-01-01',
  daysLeft: 10,
  bucket,
  documentId,
});

describe('provider figures', () => {
  it('fills a requirement bar by hours, and a completion-only requirement all or nothing', () => {
    expect(requirementPercent({ required: 50, earned: 12.5, met: false })).toBe(25);
    expect(requirementPercent({ required: 3, earned: 5, met: true })).toBe(100);
    expect(requirementPercent({ required: null, earned: 0, met: false })).toBe(0);
    expect(requirementPercent({ required: null, earned: 1, met: true })).toBe(100);
  });

  it('words the daily notice by window, nearest first', () => {
    expect(noticeText([expiring('within_60', 'a'), expiring('expired', 'b'), expiring('within_60', 'c')])).toBe(
      'Credentials need attention: 1 expired, 2 expiring within 60 days.',
    );
    expect(credentialLabel('dea_registration', 'OH')).toBe('OH DEA registration');
  });
});
