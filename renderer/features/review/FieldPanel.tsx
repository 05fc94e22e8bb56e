import { useEffect, useRef } from 'react';
import { useApp } from '../../app/store-context';
import { ActivitiesTable } from './ActivitiesTable';
import { activityRowsText, parseActivityRowsText } from '../../review/activity-rows';
import {
  confidenceLevel,
  confidenceText,
  editTextFor,
  fieldLabel,
  isActivitiesField,
  type ReviewField,
} from '../../review/review-fields';

export function FieldPanel({ fields }: { fields: ReviewField[] }) {
  const selected = useApp((s) => s.selectedField);
  return (
    <ol className="field-list" aria-label="Extracted fields">
      {fields.map((field) => (
        <FieldCard key={field.name} field={field} selected={field.name === selected} />
      ))}
    </ol>
  );
}

function FieldCard({ field, selected }: { field: ReviewField; selected: boolean }) {
  const select = useApp((s) => s.selectField);
  const edit = useApp((s) => s.editField);
  const accept = useApp((s) => s.acceptField);
  const editText = useApp((s) => s.reviewEdits[field.name]);
  const accepted = useApp((s) => s.reviewAccepted.has(field.name));
  const ref = useRef<HTMLLIElement>(null);
  const level = confidenceLevel(field.confidence);
  const id = `field-${field.name}`;
  const value = editText ?? editTextFor(field.name, field.value);
  const multiline = value.includes('\n');

  useEffect(() => {
    if (selected) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [selected]);

  return (
    <li
      ref={ref}
      className={`field-card level-${level}${selected ? ' selected' : ''}`}
      data-field={field.name}
      onClick={() => select(field.name)}
    >
      <div className="field-head">
        <label htmlFor={id}>{fieldLabel(field.name)}</label>
        <span className={`confidence level-${level}`}>{confidenceText(field.confidence)}</span>
      </div>
      {isActivitiesField(field.name) ? (
        <ActivitiesTable
          id={id}
          rows={parseActivityRowsText(value)}
          onChange={(rows) => edit(field.name, activityRowsText(rows))}
          onFocus={() => select(field.name)}
        />
      ) : multiline ? (
        <textarea
          id={id}
          value={value}
          rows={5}
          onFocus={() => select(field.name)}
          onChange={(e) => edit(field.name, e.target.value)}
        />
      ) : (
        <input
          id={id}
          type="text"
          value={value}
          onFocus={() => select(field.name)}
          onChange={(e) => edit(field.name, e.target.value)}
        />
      )}
      {field.problems.map((p) => (
        <p key={p} className="field-problem">
          {p}
        </p>
      ))}
      <div className="field-foot">
        {field.corrected && <span className="tag">Corrected</span>}
        {editText !== undefined && <span className="tag">Unsaved</span>}
        {field.page !== null && <span className="muted">Page {field.page}</span>}
        <button type="button" className="small" aria-pressed={accepted} onClick={() => accept(field.name)}>
          {accepted ? 'Accepted' : 'Accept'}
        </button>
      </div>
    </li>
  );
}
