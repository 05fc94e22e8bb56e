import { useApp } from './store-context';

export function OfflineBanner() {
  const online = useApp((s) => s.queueStats?.online ?? true);
  const lastError = useApp((s) => s.queueStats?.lastError ?? null);
  if (online) return null;
  return (
    <div className="offline-banner" role="status" aria-live="polite" data-testid="offline-banner">
      <strong>Offline.</strong> The server can’t be reached right now. Your files stay queued on this computer and
      uploads will continue by themselves when it’s back.
      {lastError && <span className="offline-detail"> ({lastError})</span>}
    </div>
  );
}
