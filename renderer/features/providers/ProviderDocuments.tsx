import type { ProviderPage } from '../../../common/providers-api';
import type { DocType } from '../../../common/extraction';
import { docTypeLabel, humanise } from '../../format';
import { FolderHint } from './FolderHint';
import { ReviewLink } from './ReviewLink';

interface Props {
  page: ProviderPage;
  ticked: ReadonlySet<string>;
  setTicked: (ticked: ReadonlySet<string>) => void;
}

/** Every document matched to the provider, why, and a box to tick those to split off. */
export function ProviderDocuments({ page, ticked, setTicked }: Props) {
  return (
    <>
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
              <td>
                {d.reasons.join('; ')}
                {d.folderHint && <FolderHint hint={d.folderHint} evidence={d.evidence} />}
              </td>
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
              <td>
                <ReviewLink documentId={d.documentId} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
