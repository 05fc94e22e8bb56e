import { memo, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { QueueItem } from '../../../preload/contract';
import { useApp } from '../../app/store-context';
import type { QueueAction } from '../../store/queue-slice';
import { formatBytes, humanise } from '../../format';
import { rowBadges } from './queue-figures';

const ROW_HEIGHT = 48;

export function QueueList() {
  const items = useApp((s) => s.queueItems);
  const action = useApp((s) => s.queueAction);
  const online = useApp((s) => s.queueStats?.online ?? true);
  const parent = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is designed to be used this way
  const virtual = useVirtualizer({
    count: items.length,
    getScrollElement: () => parent.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });

  if (items.length === 0) return <p className="empty">Nothing in the queue. Import a folder to start.</p>;
  return (
    <div
      className="queue-list"
      ref={parent}
      role="table"
      aria-label="Queued files"
      aria-rowcount={items.length}
      data-testid="queue-list"
    >
      <div className="queue-list-inner" style={{ height: virtual.getTotalSize() }}>
        {virtual.getVirtualItems().map((row) => {
          const item = items[row.index];
          return item ? (
            <QueueRow key={item.id} item={item} index={row.index} top={row.start} online={online} onAction={action} />
          ) : null;
        })}
      </div>
    </div>
  );
}

function actionsFor(state: QueueItem['state']): QueueAction[] {
  switch (state) {
    case 'queued':
    case 'uploading':
      return ['pause', 'cancel'];
    case 'paused':
      return ['resume', 'cancel'];
    case 'failed':
    case 'cancelled':
      return ['retry'];
    default:
      return [];
  }
}

interface QueueRowProps {
  item: QueueItem;
  index: number;
  top: number;
  online: boolean;
  onAction: (a: QueueAction, s: { fileIds: string[] }) => Promise<void>;
}

const QueueRow = memo(function QueueRow({ item, index, top, online, onAction }: QueueRowProps) {
  const badges = rowBadges(item, online);
  const percent = item.sizeBytes > 0 ? Math.round((item.bytesSent / item.sizeBytes) * 100) : 0;
  return (
    <div
      className={`queue-row state-${item.state}`}
      role="row"
      aria-rowindex={index + 1}
      style={{ transform: `translateY(${top}px)`, height: ROW_HEIGHT }}
      data-state={item.state}
    >
      <span role="cell" className="queue-name" title={item.relPath}>
        {item.relPath}
      </span>
      <span role="cell" className="queue-progress">
        <progress
          max={100}
          value={item.state === 'uploaded' || item.state === 'duplicate' ? 100 : percent}
          aria-label={`${item.fileName} progress`}
        />
      </span>
      <span role="cell" className="queue-size">
        {formatBytes(item.sizeBytes)}
      </span>
      <span role="cell" className="queue-outcome">
        <span className={`badge ${badges.upload.tone}`} data-testid="upload-outcome">
          {badges.upload.text}
        </span>
        {badges.extraction && (
          <span className={`badge ${badges.extraction.tone}`} data-testid="extraction-outcome">
            {badges.extraction.text}
          </span>
        )}
      </span>
      <span role="cell" className="queue-error" title={item.error?.message}>
        {item.error?.message ?? ''}
      </span>
      <span role="cell" className="queue-actions">
        {actionsFor(item.state).map((a) => (
          <button
            key={a}
            type="button"
            className="small"
            aria-label={`${humanise(a)} ${item.fileName}`}
            onClick={() => void onAction(a, { fileIds: [item.id] })}
          >
            {humanise(a)}
          </button>
        ))}
      </span>
    </div>
  );
});
