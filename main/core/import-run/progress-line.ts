import type { QueueStats, ScanProgress } from '../../../common/domain';

const MB = 1_000_000;

export function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} GB`;
  if (n >= MB) return `${(n / MB).toFixed(1)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(0)} kB`;
  return `${n} B`;
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** One terminal line for the scan phase. */
export function scanLine(p: ScanProgress): string {
  return `Scanning  ${p.entriesSeen} entries  ${p.pdfs} PDFs  ${p.skipped} skipped  ${formatBytes(p.hashedBytes)} hashed`;
}

/** One terminal line for the upload phase: files, bytes, bar, MB/s, ETA, failures, connectivity. */
export function uploadLine(s: QueueStats, width = 24): string {
  const finished = s.byState.uploaded + s.byState.duplicate + s.byState.failed + s.byState.cancelled;
  const frac = s.bytesTotal > 0 ? Math.min(1, s.bytesDone / s.bytesTotal) : finished === s.total ? 1 : 0;
  const filled = Math.round(frac * width);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
  const rate = `${(s.bytesPerSecond / MB).toFixed(1)} MB/s`;
  const eta = s.etaSeconds === null ? 'ETA --' : `ETA ${formatDuration(s.etaSeconds)}`;
  const failed = s.byState.failed > 0 ? `  failed ${s.byState.failed}` : '';
  const offline = s.online ? '' : '  offline: waiting for the server';
  return `${bar} ${finished}/${s.total} files  ${formatBytes(s.bytesDone)}/${formatBytes(s.bytesTotal)}  ${rate}  ${eta}${failed}${offline}`;
}
