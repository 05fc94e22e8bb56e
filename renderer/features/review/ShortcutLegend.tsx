import { REVIEW_SHORTCUTS } from './shortcuts';

/** The review screen's keys, listed from the same table the key handler reads. */
export function ShortcutLegend({ reviewable }: { reviewable: boolean }) {
  return (
    <details className="shortcuts" open>
      <summary>Keyboard shortcuts</summary>
      <dl>
        {REVIEW_SHORTCUTS.filter(
          // The keys of actions this document cannot take are not listed (they do nothing).
          (s) => reviewable || !['approve', 'reject', 'save'].includes(s.command),
        ).map((s) => (
          <div key={s.command}>
            <dt>
              <kbd>{s.keyLabel}</kbd>
            </dt>
            <dd>{s.label}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
