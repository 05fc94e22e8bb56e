import { useEffect, useState } from 'react';
import { DOCUMENT_STATUSES, type DocumentStatus } from '../../../common/api';
import { DOC_TYPES, type DocType } from '../../../common/extraction';
import type { DocumentQuery } from '../../../preload/contract';
import { useApp } from '../../app/store-context';
import { docTypeLabel, humanise } from '../../format';
import { EXPIRY_WINDOW_DAYS } from './expiry';

const SORTS: Array<{ value: NonNullable<DocumentQuery['sort']>; label: string }> = [
  { value: 'updatedAt', label: 'Last change' },
  { value: 'fileName', label: 'File name' },
  { value: 'expirationDate', label: 'Expiration date' },
  { value: 'status', label: 'Status' },
];

/** The Documents list's search box (applied a quarter second after typing stops), filters and sort. */
export function DocumentFilters() {
  const query = useApp((s) => s.documentQuery);
  const setQuery = useApp((s) => s.setDocumentQuery);
  const [search, setSearch] = useState(query.search ?? '');

  useEffect(() => {
    if ((query.search ?? '') === search) return;
    const timer = setTimeout(() => void setQuery({ search: search || undefined }), 250);
    return () => clearTimeout(timer);
  }, [search, query.search, setQuery]);

  return (
    <div className="toolbar filters">
      <label>
        Search
        <input
          type="search"
          value={search}
          placeholder="File, name, provider, DEA/license/NPI number, activity…"
          onChange={(e) => setSearch(e.target.value)}
        />
      </label>
      <label>
        Status
        <select
          value={query.status ?? ''}
          onChange={(e) => void setQuery({ status: (e.target.value || undefined) as DocumentStatus | undefined })}
        >
          <option value="">Any</option>
          {DOCUMENT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {humanise(s)}
            </option>
          ))}
        </select>
      </label>
      <label>
        Type
        <select
          value={query.docType ?? ''}
          onChange={(e) => void setQuery({ docType: (e.target.value || undefined) as DocType | undefined })}
        >
          <option value="">Any</option>
          {DOC_TYPES.map((t) => (
            <option key={t} value={t}>
              {docTypeLabel(t)}
            </option>
          ))}
        </select>
      </label>
      <label>
        Sort by
        <select
          value={query.sort ?? 'updatedAt'}
          onChange={(e) => void setQuery({ sort: e.target.value as DocumentQuery['sort'] })}
        >
          {SORTS.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
      {/* The button says what it does (its visible text is its name, as speech input expects). */}
      <button type="button" onClick={() => void setQuery({ direction: query.direction === 'asc' ? 'desc' : 'asc' })}>
        <span aria-hidden="true">{query.direction === 'asc' ? '↓ ' : '↑ '}</span>
        {query.direction === 'asc' ? 'Sort descending' : 'Sort ascending'}
      </button>
      <label className="checkbox-label">
        <input
          type="checkbox"
          checked={query.expiringWithinDays !== undefined}
          onChange={(e) => void setQuery({ expiringWithinDays: e.target.checked ? EXPIRY_WINDOW_DAYS : undefined })}
        />
        Expiring within {EXPIRY_WINDOW_DAYS} days
      </label>
    </div>
  );
}
