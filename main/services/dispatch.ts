/**
 * The one door into the services for both transports (Electron IPC and `npm run web`): checks
 * the channel is in the contract, validates the argument, refuses local paths the user did not
 * pick or drop, runs the handler and wraps the outcome in a Result envelope, so nothing is ever
 * thrown across a process boundary.
 */
import { AppError, toSerializedError, type Result } from '../../common/errors';
import { CHANNEL_ARGS, type Channel, type Handlers, type ParsedChannelArg } from '../../common/ipc';
import { parseChannelArg } from './channel-args';
import type { ReadablePaths } from './picked-paths';
import { redactForLog } from '../../common/log-redaction';

export type { Handlers };

// The contract's own keys: a channel exists here exactly when it has an argument schema.
const channelSet: ReadonlySet<string> = new Set(Object.keys(CHANNEL_ARGS));

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && channelSet.has(name);
}

/**
 * The local paths in each channel's argument: every channel whose schema holds a `LocalPath`
 * (common/domain.ts) is listed here, and test/main/dispatch-paths.test.ts keeps it so.
 */
export const LOCAL_PATHS_OF: { [K in Channel]?: (arg: ParsedChannelArg<K>) => readonly string[] } = {
  'import.scan': (arg) => arg.paths,
  'documents.replace': (arg) => [arg.path],
  'watch.add': (arg) => [arg.path],
};

function localPaths<K extends Channel>(channel: K, arg: ParsedChannelArg<K>): readonly string[] {
  const of = LOCAL_PATHS_OF[channel] as ((a: ParsedChannelArg<K>) => readonly string[]) | undefined;
  return of ? of(arg) : [];
}

export async function dispatch(
  handlers: Handlers,
  channel: string,
  rawArg: unknown,
  readable: ReadablePaths,
): Promise<Result<unknown>> {
  try {
    if (!isChannel(channel)) throw new AppError('invalid_input', `Unknown channel "${channel}".`);
    const arg = parseChannelArg(channel, rawArg);
    const paths = localPaths(channel, arg);
    if (paths.length > 0) await readable.assertReadable(paths);
    // The schema above checked the argument's shape for this channel, so the cast is sound.
    const handler = handlers[channel] as (a: unknown) => Promise<unknown>;
    const value = await handler(arg);
    return { ok: true, value };
  } catch (err) {
    const error = toSerializedError(err);
    if (error.kind === 'internal') {
      // Internal errors are bugs: log the channel (never the argument, which may hold PHI).
      console.error(
        JSON.stringify({ level: 'error', msg: 'handler failed', channel, error: redactForLog(error.message) }),
      );
    }
    return { ok: false, error };
  }
}
