import { AppError } from '../../common/errors';
import type { AppDeps } from '../app-env';
import { appendAudit } from '../audit/audit-log';
import type { SessionPrincipal } from '../auth/sessions';
import { discardStored, setUploadState, type UploadRow } from './upload-rows';

/** Cancels an unfinished upload: its stored parts go, the row is kept aborted (its key stays sealed). */
export async function cancelUpload(deps: AppDeps, who: SessionPrincipal, upload: UploadRow): Promise<void> {
  // Cancelling someone else's upload loses their work: only its starter or an admin may, and an admin's is audited.
  const othersUpload = upload.created_by !== who.userId;
  if (othersUpload && who.role !== 'admin') {
    throw new AppError(
      'forbidden',
      `Upload ${upload.id} was started by another user; only they or an admin may cancel it.`,
    );
  }
  if (upload.state === 'completed')
    throw new AppError('conflict', `Upload ${upload.id} is already complete; delete its document's batch instead.`);
  if (upload.state !== 'open') return;
  await discardStored(deps.store, upload);
  await deps.writes.run(() => {
    setUploadState(deps.db, upload.id, 'aborted');
    if (othersUpload)
      appendAudit(deps.db, {
        orgId: who.orgId,
        actor: who.email,
        action: 'upload.aborted',
        details: { uploadId: upload.id, startedBy: upload.created_by },
      });
  });
}
