import { useEffect, useState } from 'react';
import type { ExpirationItem } from '../../../common/providers-api';
import { getApi } from '../../bridge/api';
import { useApp } from '../../app/store-context';
import { NOTICE_INTERVAL_MS, noticeText } from './provider-figures';

/**
 * Electron's session grants the notifications permission (main/window.ts), so the desktop app
 * always shows one; in a browser only where the user already allowed this origin (never asked).
 */
function desktopNotificationsAllowed(): boolean {
  if (!('Notification' in window)) return false;
  return Boolean(window.credmate) || Notification.permission === 'granted';
}

/**
 * Once a day (and at start): credentials that entered an expiry window since this user was last
 * told (the server tells each once per window). In Electron also a desktop notification (counts
 * only, no names); in the web transport the in-app notice, and a desktop one where permitted.
 */
export function ExpiryNotifier() {
  const go = useApp((s) => s.go);
  const [notices, setNotices] = useState<ExpirationItem[]>([]);

  useEffect(() => {
    let stopped = false;
    const check = async () => {
      try {
        const fresh = await getApi().invoke('providers.expiryNotices', undefined);
        if (stopped || fresh.length === 0) return;
        setNotices(fresh);
        if (desktopNotificationsAllowed()) new Notification('CredentialMate', { body: noticeText(fresh) });
      } catch {
        // Offline or signed out: the next daily check tries again.
      }
    };
    void check();
    const timer = setInterval(() => void check(), NOTICE_INTERVAL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, []);

  if (notices.length === 0) return null;
  return (
    <div className="notice" role="status">
      {noticeText(notices)}{' '}
      <button type="button" className="link-button" onClick={() => go('providers')}>
        Show expirations
      </button>{' '}
      <button type="button" className="link-button" onClick={() => setNotices([])}>
        Dismiss
      </button>
    </div>
  );
}
