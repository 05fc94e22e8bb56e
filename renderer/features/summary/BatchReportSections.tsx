import type { BatchReport } from './batch-report';

/** How each document type fared: every document in one column of its row. */
export function DocTypeBreakdown({ report }: { report: BatchReport }) {
  if (report.byDocType.length === 0) return null;
  return (
    <table className="batch-figures" aria-label="Documents by type" data-testid="summary-by-type">
      <thead>
        <tr>
          <th scope="col">Document type</th>
          <th scope="col">Documents</th>
          <th scope="col">Extracted</th>
          <th scope="col">Approved</th>
          <th scope="col">Failed</th>
          <th scope="col">Not read yet</th>
        </tr>
      </thead>
      <tbody>
        {report.byDocType.map((r) => (
          <tr key={r.docType ?? 'none'} data-doc-type={r.docType ?? 'none'}>
            <th scope="row">{r.label}</th>
            <td>{r.total}</td>
            <td>{r.extracted}</td>
            <td>{r.approved}</td>
            <td>{r.failed}</td>
            <td>{r.pending}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The documents that failed, each with the reason the server gave. */
export function FailureList({ report }: { report: BatchReport }) {
  return (
    <section aria-labelledby="failures-heading" data-testid="summary-failures">
      <h2 id="failures-heading">Failed documents ({report.failures.length})</h2>
      {report.failures.length === 0 ? (
        <p className="muted">None: every document that reached the server was read.</p>
      ) : (
        <ul className="failure-list">
          {report.failures.map((f) => (
            <li key={f.fileName}>
              <strong>{f.fileName}</strong>: {f.reason}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
