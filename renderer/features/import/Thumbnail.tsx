import { useEffect, useState } from 'react';
import { getApi } from '../../bridge/api';
import { thumbnailFor } from '../../pdf/thumbnails';

export function Thumbnail({ scanId, fileId }: { scanId: string; fileId: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void thumbnailFor(`${scanId}:${fileId}`, () => getApi().invoke('import.readFile', { scanId, fileId })).then(
      (url) => {
        if (live) setSrc(url);
      },
    );
    return () => {
      live = false;
    };
  }, [scanId, fileId]);
  if (!src) return <span className="thumb-placeholder" aria-hidden="true" />;
  return <img className="thumb" src={src} alt="First page" width={48} />;
}
