/**
 * Reads a secret typed on the terminal without echoing it, so a password never has to stand on
 * the command line (where `ps` and the shell history show it). Only for an interactive stdin:
 * callers check isInteractive() first and otherwise ask for the flag or environment variable.
 */
import { AppError } from '../../common/errors';

export function isInteractive(): boolean {
  return Boolean(process.stdin.isTTY);
}

/**
 * Prompts on stderr (stdout stays machine-readable) for each secret in turn and resolves what
 * was typed for each, up to Enter. The terminal stays in raw mode throughout, so a line typed
 * ahead is neither echoed nor lost between two prompts.
 */
export function promptSecrets(prompts: readonly string[]): Promise<string[]> {
  const input = process.stdin;
  const answers: string[] = [];
  // Raw mode (no echo) before the prompt shows: what is typed the moment it appears is not echoed.
  input.setRawMode(true);
  input.resume();
  input.setEncoding('utf8');
  process.stderr.write(prompts[0] ?? '');
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (outcome: () => void) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      outcome();
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          answers.push(typed);
          typed = '';
          process.stderr.write('\n');
          if (answers.length === prompts.length) return finish(() => resolve(answers));
          process.stderr.write(prompts[answers.length]!);
        } else if (ch === '\u0003' || ch === '\u0004') {
          // Ctrl-C or Ctrl-D: raw mode turns off the terminal's own handling of them, so stop here.
          process.stderr.write('\n');
          return finish(() => reject(new AppError('invalid_input', 'Cancelled; nothing was changed.')));
        } else if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else if (ch >= ' ') typed += ch;
      }
    };
    input.on('data', onData);
  });
}
