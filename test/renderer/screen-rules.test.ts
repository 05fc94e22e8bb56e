import { describe, expect, it } from 'vitest';
import { fromPreload } from '../../renderer/bridge/api';
import { toBridgeError } from '../../renderer/bridge/bridge-error';
import { parseSseChunk } from '../../renderer/bridge/sse-stream';
import { expiryState } from '../../renderer/features/documents/expiry';
import { commandForKey } from '../../renderer/features/review/shortcuts';
import { confidenceBuckets, histogram } from '../../renderer/features/summary/distributions';
import { formatBytes, formatDuration } from '../../renderer/format';
import { detail } from './store-fixtures';

const key = (k: string, over: Partial<Parameters<typeof commandForKey>[0]> = {}) =>
  commandForKey({
    key: k,
    shiftKey: false,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    targetIsEditable: false,
    ...over,
  });

describe('screen rules', () => {
  it('flags licenses and registrations expiring within 90 days, and expired ones', () => {
    const now = new Date('2026-11-28T12:00:00Z');
    expect(expiryState({ docType: 'medical_license', expirationDate: '2027-02-20' }, now)).toBe('soon');
    expect(expiryState({ docType: 'dea_registration', expirationDate: '2027-03-01' }, now)).toBeNull();
    expect(expiryState({ docType: 'csr_certificate', expirationDate: '2026-11-27' }, now)).toBe('expired');
    expect(expiryState({ docType: 'csr_certificate', expirationDate: '2026-11-28' }, now)).toBe('soon');
    expect(expiryState({ docType: 'cme_certificate', expirationDate: '2026-12-01' }, now)).toBeNull();
    expect(expiryState({ docType: 'medical_license', expirationDate: null }, now)).toBeNull();
  });

  it('maps review keys to commands, never while typing or with modifiers', () => {
    expect(key('n')).toBe('nextDocument');
    expect(key('p')).toBe('previousDocument');
    expect(key('f')).toBe('nextField');
    expect(key('F', { shiftKey: true })).toBe('previousField');
    expect(key('a')).toBe('approve');
    expect(key('+', { shiftKey: true })).toBe('zoomIn');
    expect(key('PageDown')).toBe('nextPage');
    expect(key('a', { targetIsEditable: true })).toBeNull();
    expect(key('a', { ctrlKey: true })).toBeNull();
    expect(key('x')).toBeNull();
  });

  it('buckets values into half-open ranges', () => {
    const buckets = histogram([0, 0.49, 0.5, 0.95, 1], [0, 0.5, 0.9], (f) => String(f));
    expect(buckets.map((b) => b.count)).toEqual([2, 1, 2]);
    expect(confidenceBuckets([detail()]).reduce((n, b) => n + b.count, 0)).toBe(5);
  });

  it("keeps the kind of the preload's failed envelope, and calls anything else internal", async () => {
    const bridge = {
      invoke: () =>
        Promise.resolve({ ok: false as const, error: { kind: 'network' as const, message: 'Server gone.' } }),
      on: () => () => undefined,
      pathForFile: () => '',
    };
    await expect(fromPreload(bridge).invoke('queue.stats', undefined)).rejects.toMatchObject({
      kind: 'network',
      message: 'Server gone.',
    });
    // A message that merely looks like a kind is not read as one.
    expect(toBridgeError(new Error('[auth] Sign in again.'))).toMatchObject({
      kind: 'internal',
      message: '[auth] Sign in again.',
    });
    expect(toBridgeError('plain')).toMatchObject({ kind: 'internal', message: 'plain' });
  });

  it('parses server-sent events split across chunks', () => {
    const first = parseSseChunk(
      'event: queue.stats\ndata: {"a":1}\n\n: keep-alive\n\nevent: documents.changed\ndata: {"ids"',
    );
    expect(first.messages).toEqual([{ event: 'queue.stats', data: '{"a":1}' }]);
    const second = parseSseChunk(`${first.rest}:["d"]}\n\n`);
    expect(second.messages).toEqual([{ event: 'documents.changed', data: '{"ids":["d"]}' }]);
    expect(second.rest).toBe('');
  });

  it('formats figures', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MB');
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(125)).toBe('2 min 5 s');
    expect(formatDuration(null)).toBe('—');
  });
});
