import type { DocType } from '../common/extraction';

/** Figures as people read them. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

export function formatRate(bytesPerSecond: number): string {
  return `${(bytesPerSecond / 1_000_000).toFixed(1)} MB/s`;
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  if (seconds <= 0) return '0 s';
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function formatDate(iso: string | null): string {
  if (!iso) return '—';
  return iso.slice(0, 10);
}

export function humanise(token: string): string {
  const text = token.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const DOC_TYPE_LABELS: Record<DocType, string> = {
  dea_registration: 'DEA registration',
  medical_license: 'Medical license',
  csr_certificate: 'CSR certificate',
  cme_certificate: 'CME certificate',
  cme_transcript: 'CME transcript',
  unknown: 'Unknown type',
};

export function docTypeLabel(type: DocType | null): string {
  return type ? DOC_TYPE_LABELS[type] : '—';
}
