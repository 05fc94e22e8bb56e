/**
 * `credmate import --wait` ends with the batch's results, through the real command line and the
 * bundled server with its extraction workers: generated credentials of every type (one of them a
 * document no rule recognises, which must be listed as needing attention with the reason), the
 * server's batch figures, the counts by type adding up to the documents, and the same results
 * rendered as the terminal's table.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BatchResults } from '../../main/core/import-run/batch-results';
import { formatBatchResults } from '../../main/cli/results-table';
import { makeTempDir } from '../core/fixtures/temp-dir';
import { generateCredentialFixtures } from '../fixtures/credentials/generate';
import { startCli } from './run-cli';

const tmp = makeTempDir('credmate-cli-results-');
afterAll(() => tmp.cleanup());

describe('credmate import --wait', () => {
  it("ends with the batch's results: figures, counts by type, and the documents that need attention", async () => {
    const folder = join(tmp.dir, 'provider');
    // One document of each type, the last of them 'unknown' (generate.ts interleaves the types).
    const manifest = await generateCredentialFixtures({ outDir: folder, count: 6 });
    const unknown = manifest.filter((m) => m.docType === 'unknown').map((m) => m.file);
    expect(unknown.length).toBeGreaterThan(0);

    const dataDir = join(tmp.dir, 'data');
    const run = await startCli(['import', folder, '--data-dir', dataDir, '--json', '--wait', '--wait-timeout', '300'])
      .done;
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as { results?: BatchResults; processing?: { stillProcessing: number } };
    expect(summary.processing?.stillProcessing).toBe(0);
    const r = summary.results!;
    expect(r.documents).toBe(6);
    expect(Object.values(r.byDocType).reduce((a, b) => a + b, 0)).toBe(6);
    const failed = r.byDocType.failed ?? 0;
    expect(r.successRate).toBe((6 - failed) / 6);
    expect(r.secondsToLastResult).toBeGreaterThan(0);
    expect(r.meanProcessingMs).toBeGreaterThan(0);
    expect(r.meanConfidence).toBeGreaterThan(0);
    expect(r.meanConfidence).toBeLessThanOrEqual(1);

    const attention = new Map(r.needsAttention.map((a) => [a.fileName, a]));
    for (const file of unknown) expect(attention.get(file)?.reason).toMatch(/not recognised/i);
    expect(r.needsAttention.filter((a) => a.status === 'failed')).toHaveLength(failed);
    for (const a of r.needsAttention) expect(a.reason.length).toBeGreaterThan(0);

    const text = formatBatchResults(r).join('\n');
    expect(text).toMatch(/Processing success rate\s+\d+\.\d%/);
    expect(text).toMatch(/Average confidence\s+\d+\.\d%/);
    expect(text).toMatch(/Document type\s+Documents/);
    for (const file of unknown)
      expect(text).toMatch(new RegExp(`${file}\\s+review_pending\\s+Document type not recognised`));
  });
});
