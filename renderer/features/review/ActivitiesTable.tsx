import { CREDIT_TYPES } from '../../../common/extraction';
import {
  EMPTY_ACTIVITY,
  moveRow,
  rowProblems,
  type ActivityColumn,
  type ActivityRow,
} from '../../review/activity-rows';

const COLUMNS: ReadonlyArray<{
  key: Exclude<ActivityColumn, 'creditType'>;
  label: string;
  inputMode?: 'decimal';
  placeholder?: string;
}> = [
  { key: 'title', label: 'Title' },
  { key: 'provider', label: 'Provider' },
  { key: 'completionDate', label: 'Date', placeholder: 'YYYY-MM-DD' },
  { key: 'credits', label: 'Credits', inputMode: 'decimal' },
];

/**
 * A transcript's activities as rows to correct, add, remove and reorder. Each cell says what is
 * wrong with it as it is typed; saving refuses a table with a wrong cell and names it.
 */
export function ActivitiesTable({
  id,
  rows,
  onChange,
  onFocus,
}: {
  id: string;
  rows: ActivityRow[];
  onChange: (rows: ActivityRow[]) => void;
  onFocus: () => void;
}) {
  const setCell = (index: number, key: ActivityColumn, text: string) =>
    onChange(rows.map((r, i) => (i === index ? { ...r, [key]: text } : r)));
  return (
    <div className="activities" onFocus={onFocus}>
      <table className="activities-table" aria-label="Activities">
        <thead>
          <tr>
            <th scope="col">#</th>
            {COLUMNS.map((c) => (
              <th key={c.key} scope="col">
                {c.label}
              </th>
            ))}
            <th scope="col">Type</th>
            <th scope="col">
              <span className="visually-hidden">Row actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <ActivityRowCells
              key={i}
              firstInputId={i === 0 ? id : undefined}
              row={row}
              index={i}
              last={i === rows.length - 1}
              onCell={setCell}
              onRows={onChange}
              rows={rows}
            />
          ))}
        </tbody>
      </table>
      {/* With no rows, the field's label and a return from the approval check land here. */}
      <button
        type="button"
        className="small"
        id={rows.length === 0 ? id : undefined}
        onClick={() => onChange([...rows, { ...EMPTY_ACTIVITY }])}
      >
        Add activity
      </button>
    </div>
  );
}

interface RowProps {
  /** The field's id, on the first row's first cell (its label and the approval check focus it). */
  firstInputId: string | undefined;
  row: ActivityRow;
  index: number;
  last: boolean;
  rows: ActivityRow[];
  onCell: (index: number, key: ActivityColumn, text: string) => void;
  onRows: (rows: ActivityRow[]) => void;
}

function ActivityRowCells({ firstInputId, row, index, last, rows, onCell, onRows }: RowProps) {
  const problems = rowProblems(row);
  const n = index + 1;
  return (
    <tr data-row={n}>
      <td>{n}</td>
      {COLUMNS.map((c) => (
        <td key={c.key}>
          <input
            id={c.key === 'title' ? firstInputId : undefined}
            type="text"
            value={row[c.key]}
            aria-label={`Activity ${n} ${c.label.toLowerCase()}`}
            aria-invalid={problems[c.key] ? true : undefined}
            title={problems[c.key] ?? row[c.key]}
            inputMode={c.inputMode}
            placeholder={c.placeholder}
            onChange={(e) => onCell(index, c.key, e.target.value)}
          />
          {problems[c.key] && <span className="cell-problem">{problems[c.key]}</span>}
        </td>
      ))}
      <td>
        <select
          value={row.creditType}
          aria-label={`Activity ${n} credit type`}
          onChange={(e) => onCell(index, 'creditType', e.target.value)}
        >
          <option value="">—</option>
          {CREDIT_TYPES.map((t) => (
            <option key={t} value={t}>
              {t.replace(/_/g, ' ')}
            </option>
          ))}
        </select>
      </td>
      <td className="row-actions">
        <button
          type="button"
          className="small"
          aria-label={`Move activity ${n} up`}
          disabled={index === 0}
          onClick={() => onRows(moveRow(rows, index, -1))}
        >
          ↑
        </button>
        <button
          type="button"
          className="small"
          aria-label={`Move activity ${n} down`}
          disabled={last}
          onClick={() => onRows(moveRow(rows, index, 1))}
        >
          ↓
        </button>
        <button
          type="button"
          className="small"
          aria-label={`Remove activity ${n}`}
          onClick={() => onRows(rows.filter((_, i) => i !== index))}
        >
          ✕
        </button>
      </td>
    </tr>
  );
}
