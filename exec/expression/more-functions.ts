// Kernel templates of the later scalar functions (issue 4): strftime, date_diff, make_date,
// dayname, monthname, regexp_matches, regexp_replace, split_part, lpad/rpad and left/right.
// functions.ts asks here for the names it does not know. Each template calls helpers from
// datetime-functions.ts and text-functions.ts; the binder has decided the argument types.

import { type LogicalType, TypeId } from '../../common/types.js';
import * as D from './datetime-functions.js';
import type { KernelTemplate } from './kernel.js';
import * as S from './text-functions.js';

const HELPERS: Record<string, unknown> = { ...D, ...S };

const tpl = (name: string, body: string): KernelTemplate => ({ name, body, helpers: HELPERS });

/** The kernel of `fn`, or null when `fn` is not one of the functions of this module. */
export function moreScalarKernel(fn: string, args: LogicalType[]): KernelTemplate | null {
  const isDate = args[0]?.id === TypeId.DATE;
  switch (fn) {
    case 'strftime':
      return isDate ? tpl('strftime_date', 'H.strftime($0 * 86400000000, $1)') : tpl('strftime_ts', 'H.strftime($0, $1)');
    case 'date_diff':
      // $0 is the constant canonical part.
      return args[1]!.id === TypeId.DATE ? tpl('date_diff_date', 'H.dateDiffDays($0, $1, $2)') : tpl('date_diff_ts', 'H.dateDiffMicros($0, $1, $2)');
    case 'make_date':
      return tpl('make_date', 'H.makeDate($0, $1, $2)');
    case 'dayname':
      return isDate ? tpl('dayname_date', 'H.dayname($0)') : tpl('dayname_ts', 'H.dayname(H.daysOf($0))');
    case 'monthname':
      return isDate ? tpl('monthname_date', 'H.monthname($0)') : tpl('monthname_ts', 'H.monthname(H.daysOf($0))');
    case 'regexp_matches':
      return tpl('regexp_matches', 'H.regexMatches($0, $1, $2) ? 1 : 0');
    case 'regexp_replace':
      return tpl('regexp_replace', 'H.regexReplace($0, $1, $2, $3)');
    case 'split_part':
      return tpl('split_part', 'H.splitPart($0, $1, $2)');
    case 'lpad':
      return tpl('lpad', 'H.pad($0, $1, $2, true)');
    case 'rpad':
      return tpl('rpad', 'H.pad($0, $1, $2, false)');
    case 'left':
      return tpl('left', 'H.leftChars($0, $1)');
    case 'right':
      return tpl('right', 'H.rightChars($0, $1)');
  }
  return null;
}
