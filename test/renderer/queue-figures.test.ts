import { describe, expect, it } from 'vitest';
import { QUEUE_STATES, type QueueStats } from '../../preload/contract';
import { queueFigures, rowBadges, transferState } from '../../renderer/features/queue/queue-figures';

function stats(byState: Partial<QueueStats['byState']>, over: Partial<QueueStats> = {}): QueueStats {
  const full = { ...(Object.fromEntries(QUEUE_STATES.map((s) => [s, 0])) as QueueStats['byState']), ...byState };
  const total = Object.values(full).reduce((a, b) => a + b, 0);
  return {
    total,
    byState: full,
    extractionFailed: 0,
    bytesTotal: 1e9,
    bytesDone: 4e8,
    bytesPerSecond: 2.5e7,
    etaSeconds: 24,
    online: true,
    lastError: null,
    ...over,
  };
}

/** Small deterministic generator (mulberry32), so a failing case can be replayed from its seed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('queue figures', () => {
  it('always add up to the number of files, whatever the mix of states and extraction failures', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const next = random(seed);
      const byState = Object.fromEntries(
        QUEUE_STATES.map((s) => [s, Math.floor(next() * (next() < 0.3 ? 0 : 40))]),
      ) as QueueStats['byState'];
      // Sometimes more extraction failures than sent files (counts read a moment apart).
      const s = stats(byState, { extractionFailed: Math.floor(next() * (byState.uploaded + byState.duplicate + 5)) });
      const figures = queueFigures(s);
      expect(
        figures.reduce((a, f) => a + f.value, 0),
        `seed ${seed}`,
      ).toBe(s.total);
      expect(
        figures.every((f) => f.value >= 0),
        `seed ${seed}`,
      ).toBe(true);
    }
  });

  it('counts a document that failed extraction as failed, not uploaded', () => {
    const figures = queueFigures(
      stats({ uploaded: 30, duplicate: 2, failed: 1, queued: 14, uploading: 3 }, { extractionFailed: 4 }),
    );
    expect(Object.fromEntries(figures.map((f) => [f.key, f.value]))).toEqual({
      uploading: 3,
      waiting: 14,
      uploaded: 28,
      failed: 5,
      cancelled: 0,
    });
  });

  it('shows speed and time left only while files move', () => {
    expect(transferState(stats({ uploading: 2, queued: 5 }))).toEqual({
      kind: 'moving',
      speed: '25.0 MB/s',
      timeLeft: '24 s',
    });
    // The engine's last speed is stale once everything is paused or the server is gone.
    expect(transferState(stats({ paused: 7, uploaded: 3 }))).toEqual({ kind: 'paused', text: 'Paused' });
    expect(transferState(stats({ uploading: 2, queued: 5 }, { online: false }))).toEqual({
      kind: 'offline',
      text: 'Waiting for connection',
    });
    expect(transferState(stats({ paused: 2 }, { online: false }))).toEqual({
      kind: 'offline',
      text: 'Waiting for connection',
    });
    expect(transferState(stats({ uploaded: 3 }))).toEqual({ kind: 'idle', text: 'Nothing to upload' });
  });

  it('keeps the upload outcome and the extraction outcome apart on a row', () => {
    expect(rowBadges({ state: 'uploaded', documentStatus: 'failed' }, true)).toEqual({
      upload: { text: 'Uploaded', tone: 'state-uploaded' },
      extraction: { text: 'Extraction failed', tone: 'status-failed' },
    });
    expect(rowBadges({ state: 'duplicate', documentStatus: 'processing' }, true).extraction).toEqual({
      text: 'Extracting',
      tone: 'status-processing',
    });
    expect(rowBadges({ state: 'uploaded', documentStatus: null }, true).extraction).toBeNull();
    expect(rowBadges({ state: 'failed', documentStatus: null }, true)).toEqual({
      upload: { text: 'Failed', tone: 'state-failed' },
      extraction: null,
    });
    // Offline a row last seen uploading is waiting, not uploading.
    expect(rowBadges({ state: 'uploading', documentStatus: null }, false).upload).toEqual({
      text: 'Waiting for connection',
      tone: 'state-paused',
    });
    expect(rowBadges({ state: 'paused', documentStatus: null }, false).upload.text).toBe('Paused');
  });
});
