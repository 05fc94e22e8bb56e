import { useApp } from '../../app/store-context';
import { formatBytes } from '../../format';
import { queueFigures } from './queue-figures';

/** One row per batch: its files by outcome (adding up to its file count) and its own bytes. */
export function BatchFiguresTable() {
  const batches = useApp((s) => s.queueBatches);
  if (batches.length === 0) return null;
  const columns = queueFigures(batches[0]!).map((f) => f.label);
  return (
    <table className="batch-figures" aria-label="Figures per batch" data-testid="batch-figures">
      <thead>
        <tr>
          <th scope="col">Batch</th>
          <th scope="col">Files</th>
          {columns.map((label) => (
            <th key={label} scope="col">
              {label}
            </th>
          ))}
          <th scope="col">Sent</th>
        </tr>
      </thead>
      <tbody>
        {batches.map((b) => (
          <tr key={b.batchId} data-batch={b.name}>
            <th scope="row">{b.name}</th>
            <td>{b.total}</td>
            {queueFigures(b).map((f) => (
              <td key={f.key} data-figure={f.key}>
                {f.value}
              </td>
            ))}
            <td>
              {formatBytes(b.bytesDone)} of {formatBytes(b.bytesTotal)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
