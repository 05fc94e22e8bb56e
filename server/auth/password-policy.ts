/**
 * What a new password must be: 12+ characters, not containing the account's email address, and
 * not guessable from zxcvbn-ts's list of common and breached passwords, words, repeats,
 * sequences and keyboard runs (score 3 of 4 or better: zxcvbn's "safely unguessable" against an
 * offline attack on a slow hash). The email and its part before the @ count as known words.
 * Length alone let "Password123456" through.
 */
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import { AppError } from '../../common/errors';

export const MIN_PASSWORD_LENGTH = 12;
const MIN_SCORE = 3;

let factory: ZxcvbnFactory | undefined;
/** Built on first use: loading the dictionaries takes ~100 ms, which a server that adds no user never pays. */
function zxcvbn(): ZxcvbnFactory {
  factory ??= new ZxcvbnFactory({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs });
  return factory;
}

/** Throws invalid_input saying what is wrong and what to choose instead; the message never repeats the password. */
export function checkNewPassword(password: string, email: string): void {
  if (password.length < MIN_PASSWORD_LENGTH)
    throw new AppError('invalid_input', `The password must have at least ${MIN_PASSWORD_LENGTH} characters.`);
  const address = email.trim().toLowerCase();
  if (password.toLowerCase().includes(address))
    throw new AppError('invalid_input', 'The password must not contain the email address; choose another.');
  const result = zxcvbn().check(password, [address, address.split('@')[0] ?? '']);
  if (result.score < MIN_SCORE) {
    throw new AppError(
      'invalid_input',
      `The password is too easy to guess (strength ${result.score} of 4, at least ${MIN_SCORE} needed): it is, or is built from, common passwords, words, repeats or sequences. Use a few unrelated words or a password manager's random one.`,
    );
  }
}
