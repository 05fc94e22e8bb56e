import { AppError } from '../../common/errors';
import type { AppDeps } from '../app-env';
import { appendAudit } from '../audit/audit-log';
import type { SessionPrincipal } from '../auth/sessions';
import { abortIfOpen, discardStored, getOwnUpload, type UploadRow } from './upload-rows';

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
  // Sealed first, in the write transaction: a complete that committed since this row was read keeps its bytes.
  const sealed = await deps.units.write(function* () {
    if (!(yield* abortIfOpen(upload.id))) return false;
    if (othersUpload)
      yield* appendAudit({
        orgId: who.orgId,
        actor: who.email,
        action: 'upload.aborted',
        details: { uploadId: upload.id, startedBy: upload.created_by },
      });
    return true;
  });
  if (!sealed) {
    const now = await deps.units.read(() => getOwnUpload(who.orgId, upload.id));
    if (now.state === 'completed')
      throw new AppError('conflict', `Upload ${upload.id} is already complete; delete its document's batch instead.`);
    return;
  }
  await discardStored(deps.store, upload);
}
