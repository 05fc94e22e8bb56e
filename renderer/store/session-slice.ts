import type { SessionState } from '../../preload/contract';
import { describeError } from '../bridge/bridge-error';
import type { SliceCreator } from './app-store';

export interface SessionSlice {
  session: SessionState | null;
  sessionBusy: boolean;
  sessionError: string | null;
  loadSession(): Promise<void>;
  signInLocal(): Promise<void>;
  signIn(serverUrl: string, email: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  applySession(session: SessionState): void;
}

export const createSessionSlice: SliceCreator<SessionSlice> = (set, get, api) => {
  const run = async (call: () => Promise<SessionState>) => {
    set({ sessionBusy: true, sessionError: null });
    try {
      get().applySession(await call());
    } catch (err) {
      set({ sessionError: describeError(err) });
    } finally {
      set({ sessionBusy: false });
    }
  };
  return {
    session: null,
    sessionBusy: false,
    sessionError: null,
    loadSession: () => run(() => api.invoke('session.get', undefined)),
    signInLocal: () => run(() => api.invoke('session.signInLocal', undefined)),
    signIn: (serverUrl, email, password) => run(() => api.invoke('session.signIn', { serverUrl, email, password })),
    signOut: () => run(() => api.invoke('session.signOut', undefined)),
    applySession(session) {
      set({ session, sessionError: !session.signedIn && session.message ? session.message : get().sessionError });
    },
  };
};
