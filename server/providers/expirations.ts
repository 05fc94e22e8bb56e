/**
 * Credentials expiring across the organisation: expired ones and those within 30, 60 or 90
 * days, per provider, from each credential's newest document.
 */
import { addDays, type CredentialEntry } from './credentials';

export const WINDOWS = [30, 60, 90] as const;
export type ExpiryBucket = 'expired' | 'within_30' | 'within_60' | 'within_90';

export interface Expiration {
  providerId: string;
  providerName: string;
  docType: CredentialEntry['docType'];
  state: string | null;
  number: string | null;
  expirationDate: string;
  /** Negative once expired. */
  daysLeft: number;
  bucket: ExpiryBucket;
  documentId: string;
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The bucket of an expiration date on a given day, or null beyond the widest window. */
export function bucketOf(expirationDate: string, today: string): ExpiryBucket | null {
  if (expirationDate < today) return 'expired';
  for (const days of WINDOWS) if (expirationDate <= addDays(today, days)) return `within_${days}`;
  return null;
}

export function expirationsOf(
  providers: ReadonlyArray<{ id: string; name: string; credentials: readonly CredentialEntry[] }>,
  today: string,
  withinDays = 90,
): Expiration[] {
  const out: Expiration[] = [];
  for (const p of providers)
    for (const c of p.credentials) {
      if (!c.expirationDate) continue;
      const bucket = bucketOf(c.expirationDate, today);
      const daysLeft = daysBetween(today, c.expirationDate);
      if (!bucket || daysLeft > withinDays) continue;
      out.push({
        providerId: p.id,
        providerName: p.name,
        docType: c.docType,
        state: c.state,
        number: c.number,
        expirationDate: c.expirationDate,
        daysLeft,
        bucket,
        documentId: c.documentId,
      });
    }
  return out.sort(
    (a, b) => a.expirationDate.localeCompare(b.expirationDate) || a.providerName.localeCompare(b.providerName),
  );
}
