/**
 * Parses a channel's argument with its schema from the contract (common/ipc.ts): the renderer (or
 * a web page) is untrusted input, so a bad argument becomes an `invalid_input` error that names
 * the field, before any handler runs.
 */
import { AppError } from '../../common/errors';
import { CHANNEL_ARGS, type Channel, type ParsedChannelArg } from '../../common/ipc';

export function parseChannelArg<K extends Channel>(channel: K, raw: unknown): ParsedChannelArg<K> {
  const parsed = CHANNEL_ARGS[channel].safeParse(raw);
  if (parsed.success) return parsed.data as ParsedChannelArg<K>;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at "${issue.path.join('.')}"` : '';
  throw new AppError('invalid_input', `Bad argument for ${channel}${where}: ${issue?.message ?? 'invalid'}.`);
}
