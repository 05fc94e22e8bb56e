import type { BatchStats } from '../../../common/api';
import { DOCUMENT_STATUSES } from '../../../common/api';
import { formatDuration, humanise } from '../../format';
import type { BatchReport } from './batch-report';

/** A batch's headline figures: counts by status, success rate, means and total time. */
export function SummaryFigures({ stats, report }: { stats: BatchStats; report: BatchReport }) {
  return (
    <dl className="figures summary-figures" data-testid="summary-figures">
      <div>
        <dt>Documents</dt>
        <dd>{stats.total}</dd>
      </div>
      {DOCUMENT_STATUSES.map((s) => (
        <div key={s}>
          <dt>{humanise(s)}</dt>
          <dd>{stats.counts[s] ?? 0}</dd>
        </div>
      ))}
      <div>
        <dt>Success rate</dt>
        <dd>{stats.successRate === null ? '—' : `${Math.round(stats.successRate * 100)}%`}</dd>
      </div>
      <div>
        <dt>Mean processing</dt>
        <dd>{stats.meanProcessingMs === null ? '—' : formatDuration(stats.meanProcessingMs / 1000)}</dd>
      </div>
      <div>
        <dt>Mean confidence</dt>
        <dd>{stats.meanConfidence === null ? '—' : `${Math.round(stats.meanConfidence * 100)}%`}</dd>
      </div>
      <div>
        <dt>Total time</dt>
        <dd data-testid="summary-total-time" title="From the first document received to the last extraction result">
          {formatDuration(report.elapsedSeconds)}
          {report.stillProcessing > 0 && report.elapsedSeconds !== null && ' so far'}
        </dd>
      </div>
    </dl>
  );
}
