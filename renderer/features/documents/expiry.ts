import type { DocumentSummary } from '../../../common/api';
import type { DocType } from '../../../common/extraction';

/** Licenses and registrations lapse; CME certificates and transcripts do not. */
const EXPIRING_TYPES: ReadonlySet<DocType> = new Set(['dea_registration', 'medical_license', 'csr_certificate']);
export const EXPIRY_WINDOW_DAYS = 90;

export type ExpiryState = 'expired' | 'soon' | null;

/** `expired` or `soon` (within 90 days of `now`) for licenses and registrations; null otherwise. */
export function expiryState(doc: Pick<DocumentSummary, 'docType' | 'expirationDate'>, now: Date): ExpiryState {
  if (!doc.docType || !EXPIRING_TYPES.has(doc.docType) || !doc.expirationDate) return null;
  const expires = Date.parse(`${doc.expirationDate.slice(0, 10)}T23:59:59Z`);
  if (Number.isNaN(expires)) return null;
  const days = (expires - now.getTime()) / 86_400_000;
  if (days < 0) return 'expired';
  return days <= EXPIRY_WINDOW_DAYS ? 'soon' : null;
}
