import type { QueueStats } from '../../../preload/contract';
import { formatBytes } from '../../format';
import { queueFigures, transferState } from './queue-figures';

/** The queue's overall progress, its counts by state, and the transfer's speed and time left. */
export function QueueOverview({ stats }: { stats: QueueStats }) {
  const transfer = transferState(stats);
  const percent = stats.bytesTotal > 0 ? Math.min(100, (stats.bytesDone / stats.bytesTotal) * 100) : 0;
  return (
    <div className="queue-overview" role="status" aria-live="off" data-testid="queue-overview">
      <div className="overall-progress">
        <progress max={100} value={percent} aria-label="Overall upload progress" />
        <span>
          {formatBytes(stats.bytesDone)} of {formatBytes(stats.bytesTotal)}
        </span>
      </div>
      <dl className="figures">
        <div>
          <dt>Files</dt>
          <dd>{stats.total}</dd>
        </div>
        {queueFigures(stats).map((f) => (
          <div key={f.key}>
            <dt>{f.label}</dt>
            <dd data-testid={`count-${f.key}`}>{f.value}</dd>
          </div>
        ))}
        {transfer?.kind === 'moving' ? (
          <>
            <div>
              <dt>Speed</dt>
              <dd>{transfer.speed}</dd>
            </div>
            <div>
              <dt>Time left</dt>
              <dd>{transfer.timeLeft}</dd>
            </div>
          </>
        ) : (
          <div>
            <dt>Transfer</dt>
            <dd data-testid="transfer-state">{transfer?.text}</dd>
          </div>
        )}
      </dl>
    </div>
  );
}
