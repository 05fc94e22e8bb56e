/**
 * The Queue screen's numbers and words: totals that always add up to the number of files, the
 * upload and the extraction outcome of a row kept apart, and no stale speed while nothing moves.
 */
import type { DocumentStatus } from '../../../common/api';
import type { QueueItem, QueueStats } from '../../../preload/contract';
import { formatDuration, formatRate, humanise } from '../../format';

export interface QueueFigure {
  key: 'uploading' | 'waiting' | 'uploaded' | 'failed' | 'cancelled';
  label: string;
  value: number;
}

/**
 * Every file in exactly one figure, so they sum to `stats.total`. A file sent whose document then
 * failed extraction counts as failed, not uploaded: the coordinator still has to act on it.
 */
export function queueFigures(stats: Pick<QueueStats, 'byState' | 'extractionFailed'>): QueueFigure[] {
  const s = stats.byState;
  // Never more than were sent (the two counts are read at slightly different moments).
  const extractionFailed = Math.min(stats.extractionFailed, s.uploaded + s.duplicate);
  return [
    { key: 'uploading', label: 'Uploading', value: s.uploading + s.completing },
    { key: 'waiting', label: 'Waiting', value: s.queued + s.paused },
    { key: 'uploaded', label: 'Uploaded', value: s.uploaded + s.duplicate - extractionFailed },
    { key: 'failed', label: 'Failed', value: s.failed + extractionFailed },
    { key: 'cancelled', label: 'Cancelled', value: s.cancelled },
  ];
}

export type TransferState =
  { kind: 'offline' | 'paused' | 'idle'; text: string } | { kind: 'moving'; speed: string; timeLeft: string };

/** Speed and time left only while files move; otherwise why they do not. */
export function transferState(stats: QueueStats): TransferState {
  const s = stats.byState;
  const unfinished = s.queued + s.uploading + s.completing;
  if (!stats.online && unfinished + s.paused > 0) return { kind: 'offline', text: 'Waiting for connection' };
  if (unfinished === 0 && s.paused > 0) return { kind: 'paused', text: 'Paused' };
  if (unfinished === 0) return { kind: 'idle', text: 'Nothing to upload' };
  return { kind: 'moving', speed: formatRate(stats.bytesPerSecond), timeLeft: formatDuration(stats.etaSeconds) };
}

export interface RowBadge {
  text: string;
  /** A CSS class choosing the badge's colour. */
  tone: string;
}

const EXTRACTION_TEXT: Record<DocumentStatus, string> = {
  uploaded: 'Extracting',
  processing: 'Extracting',
  review_pending: 'Review pending',
  approved: 'Approved',
  rejected: 'Rejected',
  failed: 'Extraction failed',
};

/** The upload badge, and once the file reached the server, its document's extraction badge. */
export function rowBadges(
  item: Pick<QueueItem, 'state' | 'documentStatus'>,
  online: boolean,
): { upload: RowBadge; extraction: RowBadge | null } {
  const moving = item.state === 'queued' || item.state === 'uploading' || item.state === 'completing';
  // Offline nothing is uploading, whatever the row last said.
  const upload =
    !online && moving
      ? { text: 'Waiting for connection', tone: 'state-paused' }
      : { text: humanise(item.state), tone: `state-${item.state}` };
  const sent = item.state === 'uploaded' || item.state === 'duplicate';
  const extraction =
    sent && item.documentStatus
      ? { text: EXTRACTION_TEXT[item.documentStatus], tone: `status-${item.documentStatus}` }
      : null;
  return { upload, extraction };
}
