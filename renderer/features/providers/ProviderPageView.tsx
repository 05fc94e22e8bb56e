import { useEffect, useState } from 'react';
import type { ComplianceAnswer, ProviderPage } from '../../../common/providers-api';
import { describeError } from '../../bridge/bridge-error';
import { getApi } from '../../bridge/api';
import { useApp } from '../../app/store-context';
import { docTypeLabel, formatDate, humanise } from '../../format';
import type { DocType } from '../../../common/extraction';
import { CoordinatorActions } from './CoordinatorActions';
import { credentialLabel, statusTone } from './provider-figures';
import { RequirementBar } from './RequirementBar';

/** One provider: credentials (newest document wins, older kept), CME progress per license requirement, and every document behind them. */
export function ProviderPageView({
  id,
  onBack,
  onOpen,
}: {
  id: string;
  onBack: () => void;
  onOpen?: (id: string) => void;
}) {
  const openReview = useApp((s) => s.openReview);
  const [page, setPage] = useState<ProviderPage | null>(null);
  const [compliance, setCompliance] = useState<ComplianceAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [ticked, setTicked] = useState<ReadonlySet<string>>(new Set());
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    Promise.all([getApi().invoke('providers.get', { id }), getApi().invoke('providers.compliance', { id })]).then(
      ([p, c]) => {
        if (!live) return;
        setPage(p);
        setCompliance(c);
        setTicked(new Set());
      },
      (err: unknown) => live && setError(describeError(err)),
    );
    return () => {
      live = false;
    };
  }, [id, version]);

  if (error) return <p className="error">{error}</p>;
  if (!page || !compliance) return <p className="loading">Loading…</p>;
  const review = (documentId: string) => (
    <button type="button" className="link-button" onClick={() => void openReview(documentId)}>
      Review
    </button>
  );
  return (
    <section className="screen" aria-labelledby="provider-heading">
      <button type="button" className="link-button" onClick={onBack}>
        ← All providers
      </button>
      <h1 id="provider-heading">
        {page.provider.name}
        {page.provider.npi && <span className="muted"> NPI {page.provider.npi}</span>}
      </h1>
      {message && (
        <p className="notice" role="status">
          {message}
        </p>
      )}

      <h2>Credentials</h2>
      {page.credentials.length === 0 ? (
        <p className="empty">No license, DEA or CSR document on file.</p>
      ) : (
        <table className="documents-table">
          <thead>
            <tr>
              <th scope="col">Credential</th>
              <th scope="col">Number</th>
              <th scope="col">Expires</th>
              <th scope="col">Status</th>
              <th scope="col">Document</th>
            </tr>
          </thead>
          <tbody>
            {page.credentials.flatMap(({ current, history }) => [
              <tr key={current.documentId}>
                <td>{credentialLabel(current.docType, current.state)}</td>
                <td>{current.number ?? '—'}</td>
                <td>{formatDate(current.expirationDate)}</td>
                <td>
                  <span className={`badge ${statusTone(current.status)}`}>{humanise(current.status)}</span>
                  {current.printedStatus && <span className="muted"> {current.printedStatus}</span>}
                </td>
                <td>{review(current.documentId)}</td>
              </tr>,
              ...history.map((h) => (
                <tr key={h.documentId} className="muted">
                  <td>earlier</td>
                  <td>{h.number ?? '—'}</td>
                  <td>{formatDate(h.expirationDate)}</td>
                  <td>{humanise(h.status)}</td>
                  <td>{review(h.documentId)}</td>
                </tr>
              )),
            ])}
          </tbody>
        </table>
      )}

      <h2>CME</h2>
      <p>
        {page.cme.totals.totalCredits} credits from {page.cme.totals.activities} activities (each counted once across
        transcripts and certificates).
      </p>
      {compliance.licenses.map((l) => (
        <div key={l.state} className="card">
          <h3>
            {l.state} license{l.license?.number ? ` ${l.license.number}` : ''}
          </h3>
          <p className={l.status === 'met' ? 'tone-ok' : 'tone-warn'}>{l.message}</p>
          {l.cycle?.approximate && <p className="hint">{l.cycle.note}</p>}
          <ul className="field-list">
            {l.total && <RequirementBar requirement={l.total} activities={compliance.activities} />}
            {l.categoryMinimums.map((c) => (
              <RequirementBar key={c.label} requirement={c} activities={compliance.activities} />
            ))}
            {l.topics.map((t) =>
              t.applies ? (
                <RequirementBar key={t.label} requirement={t} activities={compliance.activities} />
              ) : (
                <li key={t.label} className="muted">
                  {t.label}: only for controlled-substance prescribers (none on file)
                </li>
              ),
            )}
          </ul>
          {l.notEvaluated.map((n) => (
            <p key={n} className="hint">
              Not evaluated: {n}
            </p>
          ))}
          {l.source && (
            <p className="hint">
              Source: {l.source.board}, {l.source.citation} ({l.source.url}), checked {l.source.checkedOn}.
            </p>
          )}
        </div>
      ))}

      <h2>Documents</h2>
      <table className="documents-table">
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">Type</th>
            <th scope="col">Matched by</th>
            <th scope="col">Why</th>
            <th scope="col">Split off</th>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {page.documents.map((d) => (
            <tr key={d.documentId} className={d.needsConfirmation ? 'cell-problem' : undefined}>
              <td>{d.fileName}</td>
              <td>{docTypeLabel(d.docType as DocType | null)}</td>
              <td>
                {humanise(d.evidence)} ({d.score}){d.needsConfirmation && ' · to confirm'}
              </td>
              <td>{d.reasons.join('; ')}</td>
              <td>
                <input
                  type="checkbox"
                  aria-label={`Split off ${d.fileName}`}
                  checked={ticked.has(d.documentId)}
                  onChange={(e) => {
                    const next = new Set(ticked);
                    if (e.target.checked) next.add(d.documentId);
                    else next.delete(d.documentId);
                    setTicked(next);
                  }}
                />
              </td>
              <td>{review(d.documentId)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <CoordinatorActions
        page={page}
        splitIds={[...ticked]}
        onOpen={onOpen}
        onChanged={(m) => {
          setMessage(m);
          setVersion((v) => v + 1);
        }}
      />
    </section>
  );
}
