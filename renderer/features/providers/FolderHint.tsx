import type { FolderHintView } from '../../../common/providers-api';
import { folderHintText } from './provider-figures';

/**
 * A match's folder-name evidence on its own line, in words (a conflict in the warning tone, and
 * said, not only coloured), where the coordinator reads the match's reasons.
 */
export function FolderHint({ hint, evidence }: { hint: FolderHintView; evidence: string }) {
  const conflict = hint.fits === 'other' && evidence !== 'manual';
  return <p className={conflict ? 'hint tone-warn' : 'hint'}>{folderHintText(hint, evidence)}</p>;
}
