/** The review screen's keys, in one table so the legend shown in the UI cannot drift from them. */
export type ReviewCommand =
  | 'nextDocument'
  | 'previousDocument'
  | 'nextField'
  | 'previousField'
  | 'approve'
  | 'reject'
  | 'save'
  | 'zoomIn'
  | 'zoomOut'
  | 'fitWidth'
  | 'nextPage'
  | 'previousPage';

export const REVIEW_SHORTCUTS: ReadonlyArray<{
  key: string;
  shift?: boolean;
  command: ReviewCommand;
  label: string;
  keyLabel: string;
}> = [
  { key: 'n', command: 'nextDocument', label: 'Next document', keyLabel: 'N' },
  { key: 'p', command: 'previousDocument', label: 'Previous document', keyLabel: 'P' },
  { key: 'f', command: 'nextField', label: 'Next field', keyLabel: 'F' },
  { key: 'f', shift: true, command: 'previousField', label: 'Previous field', keyLabel: 'Shift+F' },
  { key: 'a', command: 'approve', label: 'Approve', keyLabel: 'A' },
  { key: 'r', command: 'reject', label: 'Reject', keyLabel: 'R' },
  { key: 's', command: 'save', label: 'Save corrections', keyLabel: 'S' },
  { key: '+', command: 'zoomIn', label: 'Zoom in', keyLabel: '+' },
  { key: '-', command: 'zoomOut', label: 'Zoom out', keyLabel: '−' },
  { key: 'w', command: 'fitWidth', label: 'Fit width', keyLabel: 'W' },
  { key: 'PageDown', command: 'nextPage', label: 'Next page', keyLabel: 'PgDn' },
  { key: 'PageUp', command: 'previousPage', label: 'Previous page', keyLabel: 'PgUp' },
];

/** The command for a key press, or null; typing in a field never triggers a shortcut. */
export function commandForKey(e: {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  targetIsEditable: boolean;
}): ReviewCommand | null {
  if (e.targetIsEditable || e.ctrlKey || e.metaKey || e.altKey) return null;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  const shortcut = REVIEW_SHORTCUTS.find(
    (s) => s.key === key && (s.key.length > 1 || s.key === '+' || s.key === '-' || !!s.shift === e.shiftKey),
  );
  return shortcut?.command ?? null;
}
