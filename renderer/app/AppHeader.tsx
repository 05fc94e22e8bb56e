import { SCREENS, type Screen } from '../store/navigation-slice';
import { useApp } from './store-context';

const LABELS: Record<Screen, string> = {
  import: 'Import',
  queue: 'Queue',
  documents: 'Documents',
  review: 'Review',
  summary: 'Batch summary',
  providers: 'Providers',
};

export function AppHeader() {
  const screen = useApp((s) => s.screen);
  const go = useApp((s) => s.go);
  const session = useApp((s) => s.session);
  const signOut = useApp((s) => s.signOut);
  const queued = useApp((s) =>
    s.queueStats ? s.queueStats.byState.queued + s.queueStats.byState.uploading + s.queueStats.byState.completing : 0,
  );

  return (
    <header className="app-header">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <span className="brand">CredentialMate</span>
      <nav aria-label="Screens">
        <ul className="nav-list">
          {SCREENS.map((s) => (
            <li key={s}>
              <button
                type="button"
                className="nav-button"
                aria-current={screen === s ? 'page' : undefined}
                onClick={() => go(s)}
              >
                {LABELS[s]}
                {s === 'queue' && queued > 0 && (
                  <span className="nav-count" aria-label={`${queued} in progress`}>
                    {queued}
                  </span>
                )}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      {session?.signedIn && (
        <div className="session-info">
          <span title={session.serverUrl}>
            {session.mode === 'local' ? 'On this computer' : session.serverUrl} · {session.user.email}
          </span>
          <button type="button" className="link-button" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      )}
    </header>
  );
}
