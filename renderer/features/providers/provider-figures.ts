/** Labels and figures of the Providers screens, kept apart from the components so they can be tested alone. */
import type { ComplianceRequirement, ExpirationItem, FolderHintView } from '../../../common/providers-api';

const CREDENTIAL_LABEL: Record<string, string> = {
  medical_license: 'License',
  dea_registration: 'DEA registration',
  csr_certificate: 'Controlled substance registration',
};

export function credentialLabel(docType: string, state: string | null): string {
  return `${state ? `${state} ` : ''}${CREDENTIAL_LABEL[docType] ?? docType}`;
}

export const BUCKET_LABEL: Record<ExpirationItem['bucket'], string> = {
  expired: 'Expired',
  within_30: 'Within 30 days',
  within_60: 'Within 60 days',
  within_90: 'Within 90 days',
};

/** The tone class a credential status shows in. */
export function statusTone(status: string): 'tone-ok' | 'tone-warn' | 'tone-muted' {
  if (status === 'current') return 'tone-ok';
  if (status === 'expired' || status === 'expiring') return 'tone-warn';
  return 'tone-muted';
}

/** 0..100 for a progress bar; a requirement without hours (completion only) is 0 or 100. */
export function requirementPercent(r: Pick<ComplianceRequirement, 'required' | 'earned' | 'met'>): number {
  if (r.required === null || r.required === 0) return r.met ? 100 : 0;
  return Math.min(100, Math.round((r.earned / r.required) * 100));
}

/** One line for the daily notice: how many credentials entered which windows. */
export function noticeText(notices: readonly ExpirationItem[]): string {
  const counts = new Map<ExpirationItem['bucket'], number>();
  for (const n of notices) counts.set(n.bucket, (counts.get(n.bucket) ?? 0) + 1);
  const parts = (['expired', 'within_30', 'within_60', 'within_90'] as const)
    .filter((b) => counts.has(b))
    .map((b) => `${counts.get(b)} ${b === 'expired' ? 'expired' : `expiring ${BUCKET_LABEL[b].toLowerCase()}`}`);
  return `Credentials need attention: ${parts.join(', ')}.`;
}

/** How often the app asks for new expiry notices (the server tells each credential once per window). */
export const NOTICE_INTERVAL_MS = 24 * 60 * 60 * 1000;

const FOLDER_FIT: Record<FolderHintView['fits'], string> = {
  same: 'agrees (it names this provider too; a hint, not proof)',
  other: 'conflicts (it names another person)',
  unclear: 'neither agrees nor conflicts (it names someone only partly alike)',
};
const FOLDER_FIT_BEFORE: Record<FolderHintView['fits'], string> = {
  same: 'agreed with',
  other: 'conflicted with',
  unclear: 'neither agreed nor conflicted with',
};

/**
 * The folder-name evidence of a match in words, e.g. "Folder: Sehgal_Ashok — agrees (…)". The fit
 * was read against the automatic match; after a coordinator's decision ('manual') the document may
 * belong to someone else, so it is told as what the folder said about the automatic match.
 */
export function folderHintText(hint: FolderHintView, evidence: string): string {
  if (evidence === 'manual')
    return `Folder: ${hint.folder} — ${FOLDER_FIT_BEFORE[hint.fits]} the automatic match, before a coordinator decided`;
  return `Folder: ${hint.folder} — ${FOLDER_FIT[hint.fits]}`;
}
