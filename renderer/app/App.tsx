import { useEffect } from 'react';
import { useApp } from './store-context';
import { AppHeader } from './AppHeader';
import { OfflineBanner } from './OfflineBanner';
import { SignInScreen } from '../features/sign-in/SignInScreen';
import { ImportScreen } from '../features/import/ImportScreen';
import { QueueScreen } from '../features/queue/QueueScreen';
import { DocumentsScreen } from '../features/documents/DocumentsScreen';
import { ReviewScreen } from '../features/review/ReviewScreen';
import { SummaryScreen } from '../features/summary/SummaryScreen';
import { ProvidersScreen } from '../features/providers/ProvidersScreen';
import { ExpiryNotifier } from '../features/providers/ExpiryNotifier';

export function App() {
  const session = useApp((s) => s.session);
  const screen = useApp((s) => s.screen);
  const loadSession = useApp((s) => s.loadSession);
  const refreshQueueStats = useApp((s) => s.refreshQueueStats);

  useEffect(() => {
    void loadSession();
  }, [loadSession]);

  const signedIn = session?.signedIn === true;
  useEffect(() => {
    if (signedIn) void refreshQueueStats();
  }, [signedIn, refreshQueueStats]);

  if (session === null)
    return (
      <p className="loading" role="status">
        Starting…
      </p>
    );
  if (!session.signedIn) return <SignInScreen />;

  return (
    <div className="app">
      <AppHeader />
      <OfflineBanner />
      <ExpiryNotifier />
      <main className="app-main" id="main">
        {screen === 'import' && <ImportScreen />}
        {screen === 'queue' && <QueueScreen />}
        {screen === 'documents' && <DocumentsScreen />}
        {screen === 'review' && <ReviewScreen />}
        {screen === 'summary' && <SummaryScreen />}
        {screen === 'providers' && <ProvidersScreen />}
      </main>
    </div>
  );
}
