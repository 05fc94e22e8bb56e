import type { SliceCreator } from './app-store';

export const SCREENS = ['import', 'queue', 'documents', 'review', 'summary', 'providers'] as const;
export type Screen = (typeof SCREENS)[number];

export interface NavigationSlice {
  screen: Screen;
  go(screen: Screen): void;
}

export const createNavigationSlice: SliceCreator<NavigationSlice> = (set) => ({
  screen: 'import',
  go: (screen) => set({ screen }),
});
