/** The state rules on file, by USPS code. A state not listed has no rule on file: callers say so and never guess. */
import type { StateRule } from '../rule-types';
import { CA } from './ca';
import { FL } from './fl';
import { GA } from './ga';
import { IL } from './il';
import { MI } from './mi';
import { NC } from './nc';
import { NY } from './ny';
import { OH } from './oh';
import { PA } from './pa';
import { TX } from './tx';

export const STATE_RULES: Readonly<Record<string, StateRule>> = { CA, TX, FL, NY, PA, IL, OH, GA, NC, MI };

export function ruleFor(state: string): StateRule | null {
  return STATE_RULES[state.toUpperCase()] ?? null;
}
