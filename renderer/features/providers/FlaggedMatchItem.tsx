import type { FlaggedMatch } from '../../../common/providers-api';
import { useApp } from '../../app/store-context';
import { FolderHint } from './FolderHint';

/**
 * One document waiting for a coordinator: its reasons, the folder-name evidence when its upload
 * folder reads as a name, and one button per candidate (or none of them).
 */
export function FlaggedMatchItem({
  match: m,
  nameOf,
  decide,
}: {
  match: FlaggedMatch;
  nameOf: (providerId: string) => string;
  decide: (documentId: string, providerId: string | null) => void;
}) {
  const openReview = useApp((s) => s.openReview);
  const candidates = [
    ...new Set([m.providerId, ...m.candidates.map((c) => c.providerId)].filter((id): id is string => id !== null)),
  ];
  return (
    <li>
      <button type="button" className="link-button" onClick={() => void openReview(m.documentId)}>
        {m.fileName}
      </button>
      : {m.reasons.join('; ')}
      {m.folderHint && <FolderHint hint={m.folderHint} evidence={m.evidence} />}
      <div className="button-row">
        {candidates.map((id) => (
          <button key={id} type="button" onClick={() => decide(m.documentId, id)}>
            It is {nameOf(id)}
          </button>
        ))}
        <button type="button" onClick={() => decide(m.documentId, null)}>
          None of them
        </button>
      </div>
    </li>
  );
}
