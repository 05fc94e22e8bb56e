/**
 * Common English given-name variants, each mapped to one canonical form, so "Bob Smith" and
 * "Robert Smith" compare as the same first name. Short on purpose: a wrong entry would join two
 * different people, so only well-established pairs are listed.
 */
const GROUPS: ReadonlyArray<readonly string[]> = [
  ['ROBERT', 'BOB', 'BOBBY', 'ROB', 'ROBBIE', 'BERT'],
  ['WILLIAM', 'BILL', 'BILLY', 'WILL', 'WILLIE', 'LIAM'],
  ['RICHARD', 'RICK', 'RICKY', 'DICK', 'RICH', 'RICHIE'],
  ['JAMES', 'JIM', 'JIMMY', 'JAMIE'],
  ['JOHN', 'JACK', 'JOHNNY'],
  ['JOSEPH', 'JOE', 'JOEY'],
  ['MICHAEL', 'MIKE', 'MICKEY'],
  ['THOMAS', 'TOM', 'TOMMY'],
  ['CHARLES', 'CHARLIE', 'CHUCK'],
  ['CHRISTOPHER', 'CHRIS'],
  ['DANIEL', 'DAN', 'DANNY'],
  ['DAVID', 'DAVE'],
  ['EDWARD', 'ED', 'EDDIE', 'TED', 'NED'],
  ['ANTHONY', 'TONY'],
  ['STEPHEN', 'STEVEN', 'STEVE'],
  ['MATTHEW', 'MATT'],
  ['ANDREW', 'ANDY', 'DREW'],
  ['NICHOLAS', 'NICK'],
  ['BENJAMIN', 'BEN', 'BENNY'],
  ['SAMUEL', 'SAM', 'SAMMY'],
  ['ALEXANDER', 'ALEX', 'SASHA'],
  ['JONATHAN', 'JON'],
  ['TIMOTHY', 'TIM'],
  ['GREGORY', 'GREG'],
  ['PATRICK', 'PAT'],
  ['PETER', 'PETE'],
  ['KENNETH', 'KEN', 'KENNY'],
  ['RONALD', 'RON', 'RONNIE'],
  ['DONALD', 'DON', 'DONNIE'],
  ['GERALD', 'JERRY'],
  ['LAWRENCE', 'LARRY'],
  ['PHILIP', 'PHILLIP', 'PHIL'],
  ['FREDERICK', 'FRED', 'FREDDIE'],
  ['HENRY', 'HANK', 'HARRY'],
  ['RAYMOND', 'RAY'],
  ['DOUGLAS', 'DOUG'],
  ['JEFFREY', 'JEFF', 'GEOFFREY', 'GEOFF'],
  ['ELIZABETH', 'LIZ', 'BETH', 'BETTY', 'LIZZIE', 'ELIZA', 'BETSY'],
  ['KATHERINE', 'CATHERINE', 'KATHRYN', 'KATE', 'KATIE', 'KATHY', 'CATHY', 'KAT'],
  ['MARGARET', 'MAGGIE', 'PEGGY', 'MEG'],
  ['PATRICIA', 'PATTY', 'TRISH', 'PATSY'],
  ['JENNIFER', 'JENNY', 'JEN'],
  ['SUSAN', 'SUE', 'SUSIE'],
  ['DEBORAH', 'DEBRA', 'DEBBIE', 'DEB'],
  ['REBECCA', 'BECKY', 'BECCA'],
  ['VICTORIA', 'VICKY', 'TORI'],
  ['CHRISTINE', 'CHRISTINA', 'CHRISTY', 'TINA'],
  ['ABIGAIL', 'ABBY'],
  ['ALEXANDRA', 'ALEXA', 'ALEX', 'LEXI'],
  ['SAMANTHA', 'SAM', 'SAMMY'],
  ['KIMBERLY', 'KIM'],
  ['PAMELA', 'PAM'],
  ['BARBARA', 'BARB'],
  ['DOROTHY', 'DOT', 'DOTTIE'],
  ['JACQUELINE', 'JACKIE'],
];

const CANONICAL = new Map<string, string[]>();
for (const group of GROUPS) for (const name of group) CANONICAL.set(name, [...(CANONICAL.get(name) ?? []), group[0]!]);

/** The canonical forms a given name may stand for (itself when it has no known variants). */
export function canonicalFirstNames(name: string): string[] {
  return CANONICAL.get(name) ?? [name];
}

/** Whether two given names are variants of one name (Bob / Robert; Alex is both Alexander and Alexandra). */
export function sameGivenName(a: string, b: string): boolean {
  if (a === b) return true;
  const ca = canonicalFirstNames(a);
  return canonicalFirstNames(b).some((c) => ca.includes(c));
}
