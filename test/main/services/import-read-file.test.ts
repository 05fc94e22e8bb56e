/**
 * The preview reads back only what the scan found: a file swapped for a symlink, changed since
 * the scan, or no longer a PDF is refused with what to do, never read.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openQueueDb } from '../../../main/core/db/open-queue-db';
import { QueueStore } from '../../../main/core/db/queue-store';
import { createEventBus } from '../../../main/services/event-bus';
import { ImportService } from '../../../main/services/import-service';
import type { ScannedFile } from '../../../preload/contract';

const dir = mkdtempSync(path.join(tmpdir(), 'credmate-read-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PDF = '%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n';

async function scanned(folder: string): Promise<{ service: ImportService; scanId: string; files: ScannedFile[] }> {
  const bus = createEventBus();
  const files: ScannedFile[] = [];
  let finished!: () => void;
  const done = new Promise<void>((resolve) => (finished = resolve));
  bus.subscribe((event, payload) => {
    if (event === 'scan.files') files.push(...(payload as { files: ScannedFile[] }).files);
    if (event === 'scan.progress' && (payload as { done: boolean }).done) finished();
  });
  const service = new ImportService({
    store: new QueueStore(openQueueDb(path.join(folder, '..', `${path.basename(folder)}.db`))),
    bus,
    onQueued: async () => undefined,
  });
  const { scanId } = service.scan({ paths: [folder] });
  await done;
  return { service, scanId, files };
}

describe('import.readFile', () => {
  it('reads a scanned PDF, and refuses it once swapped for a symlink, changed, or no longer a PDF', async () => {
    const folder = path.join(dir, 'docs');
    mkdirSync(folder);
    const stamp = new Date('2024-01-01T00:00:00Z');
    for (const n of ['a.pdf', 'b.pdf', 'c.pdf']) {
      writeFileSync(path.join(folder, n), `${PDF}% ${n}\n`);
      utimesSync(path.join(folder, n), stamp, stamp);
    }
    const { service, scanId, files } = await scanned(folder);
    const id = (name: string) => files.find((f) => f.relPath === name)!.id;
    expect(new TextDecoder().decode(await service.readFile(scanId, id('a.pdf')))).toContain('% a.pdf');

    const secret = path.join(dir, 'secret.txt');
    writeFileSync(secret, 'root:x:0:0:root:/root:/bin/bash\n');
    unlinkSync(path.join(folder, 'a.pdf'));
    symlinkSync(secret, path.join(folder, 'a.pdf'));
    await expect(service.readFile(scanId, id('a.pdf'))).rejects.toThrow(/scan the folder again/);

    writeFileSync(path.join(folder, 'b.pdf'), `${PDF}% b.pdf, longer now\n`);
    await expect(service.readFile(scanId, id('b.pdf'))).rejects.toThrow(/changed since the folder was scanned/);

    // The same size and time as scanned, but no longer a PDF.
    writeFileSync(path.join(folder, 'c.pdf'), 'y'.repeat(`${PDF}% c.pdf\n`.length));
    utimesSync(path.join(folder, 'c.pdf'), stamp, stamp);
    await expect(service.readFile(scanId, id('c.pdf'))).rejects.toThrow(/changed since the folder was scanned/);
  });
});
