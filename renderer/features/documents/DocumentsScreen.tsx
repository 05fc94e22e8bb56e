import { useEffect } from 'react';
import { useApp } from '../../app/store-context';
import { DocumentFilters } from './DocumentFilters';
import { DocumentsPager } from './DocumentsPager';
import { DocumentsTable } from './DocumentsTable';

export function DocumentsScreen() {
  const docs = useApp((s) => s.documents);
  const load = useApp((s) => s.loadDocuments);
  const error = useApp((s) => s.documentsError);
  const loading = useApp((s) => s.documentsLoading);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section className="screen" aria-labelledby="documents-heading">
      <h1 id="documents-heading">Documents</h1>
      <DocumentFilters />
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <DocumentsTable />
      {docs.length === 0 && !loading && <p className="empty">No documents match.</p>}
      <DocumentsPager />
    </section>
  );
}
