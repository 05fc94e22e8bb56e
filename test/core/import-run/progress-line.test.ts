import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, uploadLine } from '../../../main/core/import-run/progress-line';
import { QUEUE_STATES, type QueueStats } from '../../../preload/contract';

const stats = (over: Partial<QueueStats> = {}): QueueStats => ({
  total: 10,
  byState: {
    ...(Object.fromEntries(QUEUE_STATES.map((s) => [s, 0])) as QueueStats['byState']),
    uploaded: 4,
    duplicate: 1,
    failed: 1,
    uploading: 4,
  },
  extractionFailed: 0,
  bytesTotal: 200e6,
  bytesDone: 50e6,
  bytesPerSecond: 12.5e6,
  etaSeconds: 12,
  online: true,
  lastError: null,
  ...over,
});

describe('progress line', () => {
  it('shows files, bytes, bar, MB/s, ETA and failures', () => {
    expect(uploadLine(stats(), 8)).toBe('[##......] 6/10 files  50.0 MB/200.0 MB  12.5 MB/s  ETA 0:12  failed 1');
  });

  it('says when it waits for the server and when the ETA is unknown', () => {
    expect(uploadLine(stats({ online: false, etaSeconds: null }), 8)).toMatch(
      /ETA --.*offline: waiting for the server$/,
    );
  });

  it('formats sizes and durations for people', () => {
    expect([formatBytes(999), formatBytes(1500), formatBytes(2.5e6), formatBytes(3.21e9)]).toEqual([
      '999 B',
      '2 kB',
      '2.5 MB',
      '3.21 GB',
    ]);
    expect([formatDuration(59), formatDuration(61), formatDuration(3725)]).toEqual(['0:59', '1:01', '1:02:05']);
  });
});
