/**
 * The import slice's choices of what goes up: the preflight's results and the server's limits
 * they are checked against, files the user leaves out, and problem files included anyway.
 */
import { NO_LIMITS } from '../../common/pdf-preflight';
import type { SliceCreator } from './app-store';
import type { ImportSlice } from './import-slice';

type InclusionSlice = Pick<
  ImportSlice,
  | 'includedAnyway'
  | 'preflightLimits'
  | 'setPreflight'
  | 'toggleIncludedAnyway'
  | 'setPreflightLimits'
  | 'loadPreflightLimits'
  | 'toggleExcluded'
>;

function toggled(ids: ReadonlySet<string>, id: string): Set<string> {
  const next = new Set(ids);
  if (next.has(id)) next.delete(id);
  else next.add(id);
  return next;
}

export const createPreflightActions: SliceCreator<InclusionSlice> = (set, get, api) => ({
  includedAnyway: new Set<string>(),
  preflightLimits: NO_LIMITS,
  setPreflight(scanId, fileId, result) {
    if (get().scanId !== scanId) return;
    set((s) => ({ preflight: { ...s.preflight, [fileId]: result } }));
  },
  toggleIncludedAnyway: (fileId) => set({ includedAnyway: toggled(get().includedAnyway, fileId) }),
  setPreflightLimits(limits) {
    const now = get().preflightLimits;
    if (now.maxBytes === limits.maxBytes && now.maxPages === limits.maxPages) return;
    // Results checked against other limits no longer hold: the preview checks its files again.
    set({ preflightLimits: limits, preflight: {} });
  },
  async loadPreflightLimits() {
    try {
      get().setPreflightLimits(await api.invoke('server.limits', undefined));
    } catch {
      // Offline or an older server: the preflight still checks encryption, damage and blankness.
    }
  },
  toggleExcluded: (fileId) => set({ excluded: toggled(get().excluded, fileId) }),
});
