import { approvalConcerns, localToday, type ApprovalConcern } from '../review/approval-concerns';
import { describeError } from '../bridge/bridge-error';
import type { SliceCreator } from './app-store';

export interface ApprovalSlice {
  /** Concerns waiting for the reviewer's confirmation; null when no confirmation is open. */
  approvalConcerns: ApprovalConcern[] | null;
  /** Approves at once when nothing needs a second look, else opens the confirmation. */
  requestApproval(): Promise<void>;
  /** Approves despite the concerns shown. */
  confirmApproval(): Promise<void>;
  /** Closes the confirmation and selects the first concern's field, so the reviewer can fix it. */
  cancelApproval(): void;
  /** The document approved last in this window, until it is undone. */
  lastApproval: { id: string; fileName: string } | null;
  /** Returns the last approved document to review (the server's reopen) and opens it. */
  undoLastApproval(): Promise<void>;
}

export const createApprovalSlice: SliceCreator<ApprovalSlice> = (set, get, api) => {
  const approveAndMoveOn = async () => {
    const approvedId = get().reviewId;
    const approvedName = get().reviewDoc?.fileName ?? 'The document';
    if (!(await get().submitReview('approve')) || get().reviewId !== approvedId) return;
    if (approvedId) set({ lastApproval: { id: approvedId, fileName: approvedName } });
    const next = nextPending(get().documents, approvedId);
    if (!next) {
      set({ reviewNotice: 'Approved. No other document in the list is waiting for review.' });
      return;
    }
    await get().openReview(next.id);
    if (get().reviewId === next.id)
      set({ reviewNotice: `Approved ${approvedName}. This is the next document waiting for review.` });
  };
  return {
    approvalConcerns: null,
    lastApproval: null,
    async undoLastApproval() {
      const last = get().lastApproval;
      if (!last || get().reviewBusy) return;
      set({ reviewBusy: true, reviewError: null, reviewNotice: null });
      try {
        const reopened = await api.invoke('documents.reopen', { id: last.id });
        set({
          lastApproval: null,
          documents: get().documents.map((d) =>
            d.id === reopened.id ? { ...d, status: reopened.status, updatedAt: reopened.updatedAt } : d,
          ),
        });
      } catch (err) {
        set({ reviewError: describeError(err), reviewBusy: false });
        return;
      }
      set({ reviewBusy: false });
      await get().openReview(last.id);
      if (get().reviewId === last.id)
        set({ reviewNotice: `Approval of ${last.fileName} undone: it is waiting for review again.` });
    },
    async requestApproval() {
      const { reviewDoc: doc, reviewBusy } = get();
      if (!doc || reviewBusy || get().approvalConcerns) return;
      const concerns = approvalConcerns(doc, {
        edits: get().reviewEdits,
        accepted: get().reviewAccepted,
        today: localToday(),
      });
      if (concerns.length > 0) {
        set({ approvalConcerns: concerns });
        return;
      }
      await approveAndMoveOn();
    },
    async confirmApproval() {
      if (!get().approvalConcerns) return;
      // Closed before the request so a second Enter cannot approve twice.
      set({ approvalConcerns: null });
      await approveAndMoveOn();
    },
    cancelApproval() {
      const first = get().approvalConcerns?.[0];
      set({ approvalConcerns: null, ...(first ? { selectedField: first.field } : {}) });
    },
  };
};

/** The next document of the list after `currentId` still waiting for review, wrapping around to the top. */
function nextPending<T extends { id: string; status: string }>(docs: readonly T[], currentId: string | null): T | null {
  const at = docs.findIndex((d) => d.id === currentId);
  const ordered = at === -1 ? docs : [...docs.slice(at + 1), ...docs.slice(0, at)];
  return ordered.find((d) => d.id !== currentId && d.status === 'review_pending') ?? null;
}
