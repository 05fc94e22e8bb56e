import type { SliceCreator } from './app-store';

export const SCREENS = ['import', 'queue', 'documents', 'review', 'summary', 'providers'] as const;
export type Screen = (typeof SCREENS)[number];

export interface NavigationSlice {
  screen: Screen;
  /** The provider whose page the Providers screen shows; null: the list of all providers. */
  providerId: string | null;
  /** Goes to a screen; the Providers screen opens on its list. */
  go(screen: Screen): void;
  /** Opens one provider's page (from a document's match, a table or the review); null: back to the list. */
  openProvider(id: string | null): void;
}

export const createNavigationSlice: SliceCreator<NavigationSlice> = (set) => ({
  screen: 'import',
  providerId: null,
  go: (screen) => set({ screen, providerId: null }),
  openProvider: (providerId) => set({ screen: 'providers', providerId }),
});
