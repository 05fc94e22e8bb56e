import { useEffect, useMemo } from 'react';
import { useApp } from '../../app/store-context';
import { BarChart } from './BarChart';
import { DocTypeBreakdown, FailureList } from './BatchReportSections';
import { SummaryFigures } from './SummaryFigures';
import { batchReport, batchReportCsv } from './batch-report';
import { confidenceBuckets, processingTimeBuckets } from './distributions';

export function SummaryScreen() {
  const batches = useApp((s) => s.localBatches);
  const batchId = useApp((s) => s.summaryBatchId);
  const stats = useApp((s) => s.batchStats);
  const details = useApp((s) => s.summaryDetails);
  const documents = useApp((s) => s.summaryDocuments);
  const loading = useApp((s) => s.summaryLoading);
  const error = useApp((s) => s.summaryError);
  const loadBatches = useApp((s) => s.loadBatches);
  const selectBatch = useApp((s) => s.selectBatch);
  const exportCsv = useApp((s) => s.exportCsv);

  useEffect(() => {
    void loadBatches();
  }, [loadBatches]);

  const timeBuckets = useMemo(() => processingTimeBuckets(details), [details]);
  const confidence = useMemo(() => confidenceBuckets(details), [details]);
  const report = useMemo(() => batchReport(documents, details), [documents, details]);

  const download = async () => {
    const csv = await exportCsv();
    if (csv !== null) saveCsv(csv, `${stats?.name ?? 'batch'}.csv`);
  };

  return (
    <section className="screen" aria-labelledby="summary-heading">
      <h1 id="summary-heading">Batch summary</h1>
      <div className="toolbar">
        <label>
          Batch
          <select value={batchId ?? ''} onChange={(e) => void selectBatch(e.target.value)}>
            {batches.length === 0 && <option value="">No batches yet</option>}
            {batches.map((b) => (
              <option key={b.id} value={b.id}>
                {b.name} ({b.fileCount} files)
              </option>
            ))}
          </select>
        </label>
        <button type="button" disabled={!stats} onClick={() => void download()}>
          Export fields as CSV
        </button>
        <button
          type="button"
          disabled={!stats}
          onClick={() =>
            saveCsv(batchReportCsv(stats?.name ?? 'batch', report), `${stats?.name ?? 'batch'} summary.csv`)
          }
        >
          Export summary as CSV
        </button>
      </div>
      {error && <p className="error">{error}</p>}
      {loading && <p className="muted">Loading…</p>}
      {stats && (
        <>
          <SummaryFigures stats={stats} report={report} />
          <DocTypeBreakdown report={report} />
          <FailureList report={report} />
          <div className="charts">
            <BarChart
              title="Processing time per document"
              buckets={timeBuckets}
              unit="documents"
              testId="chart-processing-time"
            />
            <BarChart
              title="Confidence of extracted fields"
              buckets={confidence}
              unit="fields"
              testId="chart-confidence"
            />
          </div>
        </>
      )}
    </section>
  );
}

function saveCsv(csv: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName.replace(/[\\/:*?"<>|]/g, '_');
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
