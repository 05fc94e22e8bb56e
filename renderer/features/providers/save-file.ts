/**
 * Saves text the app produced as a file, the way the batch CSV is saved (Summary screen): a
 * download of a Blob, which Electron turns into its save dialog and a browser into a download.
 */
export function saveTextFile(text: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName.replace(/[\\/:*?"<>|]/g, '_');
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The expirations export's file name and type for each format. */
export const EXPIRATIONS_FILE = {
  csv: { name: 'expirations.csv', type: 'text/csv' },
  ics: { name: 'expirations.ics', type: 'text/calendar' },
} as const;
