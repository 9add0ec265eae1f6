/**
 * Join codes: 6 characters read aloud in a room and typed on cheap phones.
 * The alphabet leaves out look-alikes (0/O/Q, 1/I/L, 2/Z, 5/S, 8/B, U/V) so that a code read
 * from a projector has one reading: 22 symbols ^ 6 = 113 million codes.
 */
export const JOIN_CODE_ALPHABET = 'ACDEFGHJKMNPRTWXY34679';
export const JOIN_CODE_LENGTH = 6;

/** Uppercases and drops the spaces and dashes people type or copy ("acd efg" → "ACDEFG"). */
export function normalizeJoinCode(input: string): string {
  return input.toUpperCase().replace(/[\s\-_.]/g, '');
}

export function isJoinCode(code: string): boolean {
  if (code.length !== JOIN_CODE_LENGTH) return false;
  for (const ch of code) if (!JOIN_CODE_ALPHABET.includes(ch)) return false;
  return true;
}

/** `randomInt(n)` returns an unbiased integer in [0, n): crypto on the server, seeded in tests. */
export function generateJoinCode(randomInt: (n: number) => number): string {
  let code = '';
  for (let i = 0; i < JOIN_CODE_LENGTH; i++) code += JOIN_CODE_ALPHABET[randomInt(JOIN_CODE_ALPHABET.length)];
  return code;
}

/** "ACD EFG": easier to read aloud and to copy from a projector. */
export function formatJoinCode(code: string): string {
  return `${code.slice(0, 3)} ${code.slice(3)}`;
}
