import { useEffect, useState } from 'react';
import type { ComplianceAnswer, ProviderPage } from '../../../common/providers-api';
import { describeError } from '../../bridge/bridge-error';
import { getApi } from '../../bridge/api';

/** A provider's page and compliance, loaded again after each change (reload); the split-off ticks reset. */
export function useProviderPage(id: string) {
  const [page, setPage] = useState<ProviderPage | null>(null);
  const [compliance, setCompliance] = useState<ComplianceAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [ticked, setTicked] = useState<ReadonlySet<string>>(new Set());

  useEffect(() => {
    let live = true;
    Promise.all([getApi().invoke('providers.get', { id }), getApi().invoke('providers.compliance', { id })]).then(
      ([p, c]) => {
        if (!live) return;
        setPage(p);
        setCompliance(c);
        setTicked(new Set());
      },
      (err: unknown) => live && setError(describeError(err)),
    );
    return () => {
      live = false;
    };
  }, [id, version]);

  const reload = () => setVersion((v) => v + 1);
  return { page, compliance, error, ticked, setTicked, reload };
}
