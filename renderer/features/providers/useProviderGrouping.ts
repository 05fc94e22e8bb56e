import { useEffect, useState } from 'react';
import type { ProviderListItem, ProviderPage } from '../../../common/providers-api';
import { describeError } from '../../bridge/bridge-error';
import { getApi } from '../../bridge/api';

/** The providers this one could be merged with (every other), listed again when the page changes. */
export function useOtherProviders(id: string, page: ProviderPage, setError: (error: string) => void) {
  const [others, setOthers] = useState<ProviderListItem[]>([]);
  useEffect(() => {
    let live = true;
    getApi()
      .invoke('providers.list', undefined)
      .then(
        (list) => live && setOthers(list.filter((p) => p.id !== id)),
        (err: unknown) => live && setError(describeError(err)),
      );
    return () => {
      live = false;
    };
  }, [id, page, setError]);
  return others;
}

/** Runs one grouping change at a time: busy while it runs, its error kept, its message handed to onChanged. */
export function useBusyAction(onChanged: (message: string) => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (action: () => Promise<string>) => {
    setBusy(true);
    setError(null);
    try {
      onChanged(await action());
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}
