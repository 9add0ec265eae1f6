/**
 * [HR-TEXT] Text that people type, made safe to show: Unicode normalized (NFC), no control
 * characters but newlines, no bidirectional overrides or isolates (which reorder what follows them on
 * screen), and at most a few combining marks on one letter (hundreds of them draw over other lines).
 * The client cleans before it sends; the server cleans what comes through commands and refuses board
 * cards that are not clean.
 */

/** Marks allowed on one letter: enough for any language written here (é, ǘ, Vietnamese tones). */
export const MAX_COMBINING_MARKS = 3;

const CONTROLS = /[\u0000-\u0009\u000B-\u001F\u007F]/g;
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;
const MARK_RUNS = new RegExp(`(\\p{M}{${MAX_COMBINING_MARKS}})\\p{M}+`, 'gu');

/** The text as it may be shown, not trimmed. */
export function safeText(input: string): string {
  return input.normalize('NFC').replace(CONTROLS, '').replace(BIDI_CONTROLS, '').replace(MARK_RUNS, '$1');
}

/** What a typed field keeps: safe, and trimmed. */
export function cleanText(input: string): string {
  return safeText(input).trim();
}

/** Whether a stored text is already safe (cards written through the shared document). */
export function isSafeText(input: string): boolean {
  return safeText(input) === input;
}
