import { useEffect, useState } from 'react';
import { QUEUE_STATES, type QueueState } from '../../../preload/contract';
import { useApp } from '../../app/store-context';
import { humanise } from '../../format';
import { BatchFiguresTable } from './BatchFiguresTable';
import { CancelAllConfirm } from './CancelAllConfirm';
import { QueueList } from './QueueList';
import { QueueOverview } from './QueueOverview';

export function QueueScreen() {
  const stats = useApp((s) => s.queueStats);
  const total = useApp((s) => s.queueTotal);
  const filter = useApp((s) => s.queueFilter);
  const setFilter = useApp((s) => s.setQueueFilter);
  const loadQueue = useApp((s) => s.loadQueue);
  const refreshStats = useApp((s) => s.refreshQueueStats);
  const action = useApp((s) => s.queueAction);
  const error = useApp((s) => s.queueError);
  const loading = useApp((s) => s.queueLoading);
  const [confirmingCancel, setConfirmingCancel] = useState(false);

  useEffect(() => {
    void loadQueue();
    void refreshStats();
  }, [loadQueue, refreshStats]);

  return (
    <section className="screen queue-screen" aria-labelledby="queue-heading">
      <h1 id="queue-heading">Queue</h1>
      {stats && <QueueOverview stats={stats} />}
      <BatchFiguresTable />
      <div className="toolbar">
        <label>
          Show
          <select
            value={filter ?? ''}
            onChange={(e) => void setFilter(e.target.value === '' ? null : (e.target.value as QueueState))}
          >
            <option value="">All files</option>
            {QUEUE_STATES.map((s) => (
              <option key={s} value={s}>
                {humanise(s)}
              </option>
            ))}
          </select>
        </label>
        <span className="toolbar-count">{loading ? 'Loading…' : `${total} files`}</span>
        <div className="button-row">
          <button type="button" onClick={() => void action('pause', {})}>
            Pause all
          </button>
          <button type="button" onClick={() => void action('resume', {})}>
            Resume all
          </button>
          <button type="button" onClick={() => void action('retry', {})}>
            Retry failed
          </button>
          <button
            type="button"
            className="danger"
            aria-expanded={confirmingCancel}
            onClick={() => setConfirmingCancel(true)}
          >
            Cancel all
          </button>
        </div>
      </div>
      {confirmingCancel && stats && (
        <CancelAllConfirm
          unfinished={stats.byState.queued + stats.byState.paused + stats.byState.uploading + stats.byState.completing}
          onConfirm={() => {
            setConfirmingCancel(false);
            void action('cancel', {});
          }}
          onClose={() => setConfirmingCancel(false)}
        />
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <QueueList />
    </section>
  );
}
